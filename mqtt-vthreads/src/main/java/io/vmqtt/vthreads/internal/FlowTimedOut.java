package io.vmqtt.vthreads.internal;

/**
 * Ends a caller's wait for a flow whose operation timeout passed; the flow itself stays in the
 * session. Carries no stack trace: the caller throws its own {@link
 * io.vmqtt.OperationTimeoutException}.
 */
final class FlowTimedOut extends Exception {
  private static final long serialVersionUID = 1L;

  FlowTimedOut() {
    super("operation_timeout passed", null, false, false);
  }
}
