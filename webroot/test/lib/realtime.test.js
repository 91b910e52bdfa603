import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import FakeEventBus from '../fakes/eventBus.js';
import { installBrowser, settle } from '../fakes/browser.js';
import { openRealtime } from '../../src/lib/realtime.svelte.js';

vi.mock('@vertx/eventbus-bridge-client.js', () => import('../fakes/eventBus.js'));

const REPLAY = 'codelab.events.replay';
const PROBE = 'bridge.ping';
const ROOM = 'codelab.public.c1';
const BRIDGE_URL = 'http://localhost:9100/eventbus';

let browser;
let client;
let events;
let snapshots;
let resyncs;

function open(as = 'facilitator') {
  events = [];
  snapshots = [];
  resyncs = 0;
  client = openRealtime({
    as,
    codelabId: 'c1',
    addresses: [ROOM],
    onEvent: (event) => events.push(event.seq),
    onResync: async () => {
      resyncs += 1;
    },
    onSnapshot: (body) => snapshots.push(body)
  });
  return client;
}

/** The server side of a first connection: the socket opens and the replay says where the stream is. */
async function connectAt(latestSeq, epoch = 'e1') {
  await settle();
  const socket = FakeEventBus.latest();
  socket.accept();
  socket.reply(REPLAY, { latestSeq, epoch, events: [], more: false });
  await settle();
  return socket;
}

async function reconnect() {
  await vi.runOnlyPendingTimersAsync();
  await settle();
  const socket = FakeEventBus.latest();
  socket.accept();
  return socket;
}

const event = (seq) => ({ seq, epoch: 'e1', type: 'attendee.step-changed', data: {} });

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
  FakeEventBus.reset();
  browser = installBrowser({ '/api/realtime': { url: BRIDGE_URL } });
});

afterEach(() => {
  client?.close();
  client = null;
  vi.useRealTimers();
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

describe('connecting', () => {
  it('asks the API where the bridge is, marks attendee sockets, and resyncs from REST on the first connection', async () => {
    open('attendee');
    expect(client.status.state).toBe('connecting');
    await connectAt(41);

    expect(FakeEventBus.sockets).toHaveLength(1);
    expect(FakeEventBus.latest().url).toBe(`${BRIDGE_URL}?as=attendee`);
    expect(FakeEventBus.latest().sent[0].body).toEqual({ codelabId: 'c1', after: 0, epoch: null, limit: 500 });
    expect(resyncs).toBe(1);
    expect(client.status.state).toBe('online');
  });

  it('delivers live events once per seq and ignores those at or below the replayed position', async () => {
    open();
    const socket = await connectAt(10);

    [9, 10, 11, 12, 11, 12, 13].forEach((seq) => socket.publish(ROOM, event(seq)));

    expect(events).toEqual([11, 12, 13]);
  });

  it('hands messages without a seq to onSnapshot every time, outside the dedupe', async () => {
    open();
    const socket = await connectAt(0);

    socket.publish(ROOM, { attendees: [] });
    socket.publish(ROOM, { attendees: [] });

    expect(snapshots).toHaveLength(2);
    expect(events).toEqual([]);
  });

  it('stops for good when the bridge refuses the session', async () => {
    open();
    await settle();
    FakeEventBus.latest().refuse('not_logged_in');
    await vi.runAllTimersAsync();

    expect(client.status.state).toBe('refused');
    expect(FakeEventBus.sockets).toHaveLength(1);
  });

  it('keeps a command still waiting at close() without sending it again', async () => {
    open();
    const socket = await connectAt(0);
    client.send('codelab.progress.report', { eventId: 'p-1', step: 2 });
    client.close();
    await settle();

    expect(socket.sent.filter((entry) => entry.address === 'codelab.progress.report')).toHaveLength(1);
    expect(client.status.pending).toBe(1);
  });
});

describe('reconnecting', () => {
  it('waits between half and all of a ceiling that doubles with each failed attempt', async () => {
    const random = vi.spyOn(Math, 'random').mockReturnValue(0);
    open();
    const first = await connectAt(0);

    first.drop();
    expect(client.status).toMatchObject({ state: 'offline', attempts: 1 });
    await vi.advanceTimersByTimeAsync(499);
    expect(FakeEventBus.sockets).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(FakeEventBus.sockets).toHaveLength(2);

    random.mockReturnValue(1);
    FakeEventBus.latest().drop();
    expect(client.status.attempts).toBe(2);
    await vi.advanceTimersByTimeAsync(1999);
    expect(FakeEventBus.sockets).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(FakeEventBus.sockets).toHaveLength(3);
  });

  it('never waits longer than fifteen seconds however often it failed', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(1);
    open();
    await connectAt(0);
    for (let attempt = 0; attempt < 8; attempt += 1) {
      FakeEventBus.latest().drop();
      await vi.runOnlyPendingTimersAsync();
    }
    const before = FakeEventBus.sockets.length;

    FakeEventBus.latest().drop();
    await vi.advanceTimersByTimeAsync(14999);
    expect(FakeEventBus.sockets).toHaveLength(before);
    await vi.advanceTimersByTimeAsync(1);
    expect(FakeEventBus.sockets).toHaveLength(before + 1);
  });

  it('starts the attempt count again once a connection is back', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0);
    open();
    await connectAt(0);
    FakeEventBus.latest().drop();
    const socket = await reconnect();
    socket.reply(REPLAY, { events: [], more: false });
    await settle();

    expect(client.status).toMatchObject({ state: 'online', attempts: 0 });
  });

  it('tries at once when the network comes back instead of waiting out the backoff', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(1);
    open();
    await connectAt(0);
    FakeEventBus.latest().drop();

    browser.fire('online');

    expect(FakeEventBus.sockets).toHaveLength(2);
  });

  it('tries at once when the tab comes back to the front', async () => {
    open();
    await connectAt(0);
    FakeEventBus.latest().drop();

    browser.showTab();

    expect(FakeEventBus.sockets).toHaveLength(2);
  });

  it('closes the socket when the browser reports the network gone', async () => {
    open();
    const socket = await connectAt(0);

    browser.fire('offline');

    expect(socket.state).toBe(FakeEventBus.CLOSED);
    expect(client.status.state).toBe('offline');
  });

  it('does not come back after close()', async () => {
    open();
    await connectAt(0);
    client.close();
    await vi.runAllTimersAsync();
    browser.fire('online');

    expect(FakeEventBus.sockets).toHaveLength(1);
  });
});

describe('replay after a reconnect', () => {
  it('asks for what came after the last seq, page by page, and applies it before live events that arrived meanwhile', async () => {
    open();
    const first = await connectAt(10);
    first.publish(ROOM, event(11));
    first.drop();

    const second = await reconnect();
    expect(second.handlers.has(ROOM)).toBe(true);
    second.publish(ROOM, event(15));
    second.publish(ROOM, event(14));
    const firstPage = second.reply(REPLAY, { events: [event(11), event(12)], more: true });
    await settle();
    const secondPage = second.reply(REPLAY, { events: [event(13)], more: false });
    await settle();

    expect(firstPage.body).toEqual({ codelabId: 'c1', after: 11, epoch: 'e1', limit: 500 });
    expect(secondPage.body.after).toBe(12);
    expect(events).toEqual([11, 12, 13, 14, 15]);
    expect(resyncs).toBe(1);
    expect(client.status.state).toBe('online');
  });

  it('reloads from REST when the server says the gap is too large, and skips what the reload covered', async () => {
    open();
    const first = await connectAt(10);
    first.drop();

    const second = await reconnect();
    second.reply(REPLAY, { reset: true, latestSeq: 900, epoch: 'e2', events: [] });
    await settle();
    second.publish(ROOM, event(900));
    second.publish(ROOM, event(901));

    expect(resyncs).toBe(2);
    expect(events).toEqual([901]);
  });
});

describe('the outbox', () => {
  it('sends a command at once when online and settles it with the reply', async () => {
    open();
    const socket = await connectAt(0);

    const answer = client.send('codelab.chat.send', { eventId: 'c-1', text: 'hi' });
    expect(client.status.pending).toBe(1);
    socket.reply('codelab.chat.send', { message: { id: 'm1' } });

    await expect(answer).resolves.toEqual({ message: { id: 'm1' } });
    expect(client.status.pending).toBe(0);
  });

  it('keeps a command sent while offline and sends it after the replay of the next connection', async () => {
    open();
    await settle();

    const answer = client.send('codelab.help.request', { eventId: 'h-1', step: 2 });
    const socket = FakeEventBus.latest();
    socket.accept();
    expect(socket.sent.map((entry) => entry.address)).toEqual([REPLAY]);
    socket.reply(REPLAY, { latestSeq: 0, epoch: 'e1', events: [], more: false });
    await settle();
    socket.reply('codelab.help.request', { help: { id: 'r1' } });

    await expect(answer).resolves.toEqual({ help: { id: 'r1' } });
  });

  it('sends an unanswered command again with the same idempotency key after a drop, until it is answered', async () => {
    open();
    const first = await connectAt(0);
    const answer = client.send('codelab.chat.send', { eventId: 'c-1', text: 'hi' });
    expect(first.pending('codelab.chat.send').body.eventId).toBe('c-1');
    first.drop();
    await settle();
    expect(client.status.pending).toBe(1);

    const second = await reconnect();
    second.reply(REPLAY, { events: [], more: false });
    await settle();
    const resent = second.reply('codelab.chat.send', { message: { id: 'm1' } });

    expect(resent.body).toEqual({ eventId: 'c-1', text: 'hi' });
    await expect(answer).resolves.toEqual({ message: { id: 'm1' } });
    expect(client.status.pending).toBe(0);
  });

  it('gives up the socket when a command is left unanswered for ten seconds, and sends it again with its key on the next', async () => {
    open();
    const first = await connectAt(0);
    const answer = client.send('codelab.progress.report', { eventId: 'p-1', step: 1 });

    await vi.advanceTimersByTimeAsync(9999);
    expect(client.status.state).toBe('online');
    await vi.advanceTimersByTimeAsync(1);
    expect(client.status).toMatchObject({ state: 'offline', attempts: 1, pending: 1 });
    expect(first.state).toBe(FakeEventBus.CLOSED);

    const second = await reconnect();
    second.reply(REPLAY, { events: [], more: false });
    await settle();
    second.reply('codelab.progress.report', { completedSteps: [1] });

    await expect(answer).resolves.toEqual({ completedSteps: [1] });
    for (const socket of [first, second]) {
      expect(socket.sent.filter((entry) => entry.address === 'codelab.progress.report').map((entry) => entry.body.eventId))
        .toEqual(['p-1']);
    }
  });

  it('gives up on a command the server refused, with its code, and does not send it again', async () => {
    open();
    const first = await connectAt(0);
    const answer = client.send('codelab.chat.send', { eventId: 'c-1', text: '' });
    first.fail('codelab.chat.send', 400, 'empty message');

    await expect(answer).rejects.toMatchObject({ message: 'empty message', code: 400 });
    expect(client.status.pending).toBe(0);
    first.drop();
    const second = await reconnect();
    second.reply(REPLAY, { events: [], more: false });
    await settle();
    expect(second.sent.map((entry) => entry.address)).toEqual([REPLAY]);
  });
});

describe('a socket that goes silent', () => {
  it('a quiet socket probes the bridge every fifteen seconds and stays on while it answers', async () => {
    open();
    const socket = await connectAt(0);

    for (let probe = 0; probe < 3; probe += 1) {
      await vi.advanceTimersByTimeAsync(15000);
      socket.reply(PROBE, {});
    }

    expect(socket.sent.filter((entry) => entry.address === PROBE)).toHaveLength(3);
    expect(client.status.state).toBe('online');
    expect(FakeEventBus.sockets).toHaveLength(1);
  });

  it('gives up a socket that leaves a probe unanswered for ten seconds, and catches up on a new one', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0);
    open();
    const first = await connectAt(5);

    await vi.advanceTimersByTimeAsync(15000 + 9999);
    expect(client.status.state).toBe('online');
    await vi.advanceTimersByTimeAsync(1);
    expect(client.status).toMatchObject({ state: 'offline', attempts: 1 });
    expect(first.state).toBe(FakeEventBus.CLOSED);

    await vi.advanceTimersByTimeAsync(500);
    expect(FakeEventBus.sockets).toHaveLength(2);
    const second = FakeEventBus.latest();
    second.accept();
    expect(second.pending(REPLAY).body).toMatchObject({ after: 5, epoch: 'e1' });
    second.reply(REPLAY, { events: [event(6), event(7)], more: false });
    await settle();

    expect(events).toEqual([6, 7]);
    expect(client.status).toMatchObject({ state: 'online', attempts: 0 });
  });

  it('does not probe while the bridge keeps talking, and probes once it falls quiet', async () => {
    open();
    const socket = await connectAt(0);

    for (let seq = 1; seq <= 12; seq += 1) {
      await vi.advanceTimersByTimeAsync(5000);
      socket.publish(ROOM, event(seq));
    }
    expect(socket.sent.filter((entry) => entry.address === PROBE)).toHaveLength(0);

    await vi.advanceTimersByTimeAsync(30000);
    expect(socket.sent.filter((entry) => entry.address === PROBE)).toHaveLength(1);
    expect(events).toHaveLength(12);
  });

  it('stops probing once closed', async () => {
    open();
    const socket = await connectAt(0);
    client.close();
    await vi.advanceTimersByTimeAsync(60000);

    expect(socket.sent.filter((entry) => entry.address === PROBE)).toHaveLength(0);
  });
});
