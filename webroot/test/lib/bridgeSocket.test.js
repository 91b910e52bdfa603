import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

/** The module remembers a blocked WebSocket for the page's life: each test loads it afresh, as a new page would. */
let BridgeSocket;
let OPEN_TIMEOUT_MS;
let websocketUrl;

/** Plays the network under one socket of each kind: the test opens, fails or closes them. */
class FakeTransport {
  static made = [];

  constructor(url, options) {
    this.url = url;
    this.options = options;
    this.sent = [];
    this.closedWith = null;
    FakeTransport.made.push(this);
  }

  send(data) {
    this.sent.push(data);
  }

  close(code, reason) {
    this.closedWith = { code, reason };
    queueMicrotask(() => this.onclose?.({ code: code ?? 1000, reason }));
  }

  open() {
    this.onopen();
  }

  fail(code = 1006) {
    this.onclose({ code, reason: '' });
  }
}

class FakeWebSocket extends FakeTransport {
  constructor(url) {
    super(url);
    this.kind = 'websocket';
  }
}

class FakeSockJS extends FakeTransport {
  constructor(url, protocols, options) {
    super(url, options);
    this.kind = 'sockjs';
  }
}

vi.mock('sockjs-client/lib/entry.js', () => ({ default: class { constructor(...args) { return new FakeSockJS(...args); } } }));

const URL_ = 'http://localhost:9100/eventbus?as=attendee';
const TRANSPORTS = ['websocket', 'xhr-streaming', 'xhr-polling'];

function socket(options = { transports: TRANSPORTS }) {
  const made = new BridgeSocket(URL_, null, options);
  made.heard = { opened: 0, closes: [], messages: [] };
  made.onopen = () => made.heard.opened++;
  made.onclose = (event) => made.heard.closes.push(event.code);
  made.onmessage = (event) => made.heard.messages.push(event.data);
  return made;
}

const last = () => FakeTransport.made.at(-1);

describe('BridgeSocket', () => {
  beforeEach(async () => {
    FakeTransport.made = [];
    vi.resetModules();
    ({ default: BridgeSocket, OPEN_TIMEOUT_MS, websocketUrl } = await import('../../src/lib/bridgeSocket.js'));
    vi.stubGlobal('WebSocket', FakeWebSocket);
  });

  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllGlobals();
  });

  it('opens a plain WebSocket to the raw endpoint, keeping the query', () => {
    socket();
    expect(FakeTransport.made).toHaveLength(1);
    expect(last().kind).toBe('websocket');
    expect(last().url).toBe('ws://localhost:9100/eventbus/websocket?as=attendee');
    expect(websocketUrl('https://codelabs.example.org/eventbus')).toBe('wss://codelabs.example.org/eventbus/websocket');
  });

  it('hands frames both ways: text as sent, binary messages decoded as UTF-8', () => {
    const s = socket();
    const ws = last();
    ws.open();
    s.send('{"type":"ping"}');
    ws.onmessage({ data: new TextEncoder().encode('{"body":"한국어"}').buffer });
    ws.onmessage({ data: '{"body":"text"}' });
    expect(s.heard.opened).toBe(1);
    expect(ws.sent).toEqual(['{"type":"ping"}']);
    expect(s.heard.messages).toEqual(['{"body":"한국어"}', '{"body":"text"}']);
    expect(ws.binaryType).toBe('arraybuffer');
  });

  it('falls back to SockJS over HTTP only when the WebSocket fails before it opens, and says so once', () => {
    const s = socket();
    last().fail();
    const fallback = last();
    expect(fallback.kind).toBe('sockjs');
    expect(fallback.url).toBe(URL_);
    expect(fallback.options.transports).toEqual(['xhr-streaming', 'xhr-polling']);
    expect(s.heard.closes).toEqual([]);
    fallback.open();
    expect(s.heard.opened).toBe(1);
    s.send('frame');
    expect(fallback.sent).toEqual(['frame']);
  });

  it('falls back when the WebSocket neither opens nor fails within the timeout, as behind a proxy that swallows it', async () => {
    vi.useFakeTimers();
    socket();
    const ws = last();
    vi.advanceTimersByTime(OPEN_TIMEOUT_MS - 1);
    expect(FakeTransport.made).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(ws.closedWith).not.toBeNull();
    expect(last().kind).toBe('sockjs');
  });

  it('after one fallback that got through, the page\'s next sockets go straight to HTTP', () => {
    socket();
    last().fail();
    last().open();
    socket();
    expect(last().kind).toBe('sockjs');
    expect(FakeTransport.made.filter((t) => t.kind === 'websocket')).toHaveLength(1);
  });

  it('a network that is down fails both and the client hears one close; the WebSocket is tried again next time', () => {
    const s = socket();
    last().fail();
    last().fail(2000);
    expect(s.heard.closes).toEqual([2000]);
    socket();
    expect(last().kind).toBe('websocket');
  });

  it('an opened WebSocket that drops is a close, not a fallback', () => {
    const s = socket();
    last().open();
    last().fail(1006);
    expect(s.heard.closes).toEqual([1006]);
    expect(FakeTransport.made).toHaveLength(1);
  });

  it('closed by the client while opening: one close, no fallback, no timer left', async () => {
    vi.useFakeTimers();
    const s = socket();
    s.close();
    await vi.runAllTimersAsync();
    expect(s.heard.closes).toHaveLength(1);
    expect(FakeTransport.made).toHaveLength(1);
    s.close();
    await vi.runAllTimersAsync();
    expect(s.heard.closes).toHaveLength(1);
  });

  it('without WebSocket in the browser, SockJS over HTTP at once', () => {
    vi.stubGlobal('WebSocket', undefined);
    socket();
    expect(FakeTransport.made).toHaveLength(1);
    expect(last().kind).toBe('sockjs');
  });
});
