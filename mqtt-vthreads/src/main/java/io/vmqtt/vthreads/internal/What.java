package io.vmqtt.vthreads.internal;

/**
 * The operation a call performs, described for error messages only: the text is built when an error
 * needs it, so the hot path of a publish allocates no string.
 */
@FunctionalInterface
interface What {
  String describe();
}
