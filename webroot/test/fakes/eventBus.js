/**
 * Stands in for @vertx/eventbus-bridge-client.js (the SockJS socket to the bridge): the test plays
 * the server, opening or refusing each socket, answering sends and publishing to registered addresses.
 */
export default class FakeEventBus {
  static CONNECTING = 0;
  static OPEN = 1;
  static CLOSING = 2;
  static CLOSED = 3;
  static sockets = [];

  constructor(url, options) {
    this.url = url;
    this.options = options;
    this.state = FakeEventBus.CONNECTING;
    this.handlers = new Map();
    this.sent = [];
    this.sockJSConn = { close: () => this.drop() };
    FakeEventBus.sockets.push(this);
  }

  static latest() {
    return FakeEventBus.sockets.at(-1);
  }

  static reset() {
    FakeEventBus.sockets = [];
  }

  registerHandler(address, headers, callback) {
    this.handlers.set(address, callback);
  }

  send(address, body, headers, callback) {
    this.sent.push({ address, body, callback, answered: false });
  }

  close() {
    this.drop();
  }

  accept() {
    this.state = FakeEventBus.OPEN;
    this.onopen();
  }

  drop() {
    if (this.state === FakeEventBus.CLOSED) return;
    this.state = FakeEventBus.CLOSED;
    this.onclose?.({});
  }

  refuse(body) {
    this.onerror?.({ type: 'err', body });
    this.drop();
  }

  publish(address, body) {
    this.handlers.get(address)(null, { address, body });
  }

  /** The latest send to this address that has no answer yet. */
  pending(address) {
    const request = this.sent.findLast((entry) => entry.address === address && !entry.answered);
    if (!request) throw new Error(`nothing sent to ${address}; sent: ${this.sent.map((entry) => entry.address)}`);
    return request;
  }

  reply(address, body) {
    const request = this.pending(address);
    request.answered = true;
    request.callback(null, { body });
    return request;
  }

  fail(address, failureCode, message) {
    const request = this.pending(address);
    request.answered = true;
    request.callback({ failureCode, message });
    return request;
  }
}
