/**
 * The {@code ws}/{@code wss} transport for vmqtt. Not yet implemented: this module holds only its
 * skeleton until the WebSocket transport lands.
 */
module io.vmqtt.websocket {
  requires io.vmqtt;
}
