import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import FakeEventBus from '../fakes/eventBus.js';
import { installBrowser, settle } from '../fakes/browser.js';
import { joinWorkshop } from '../../src/attendee/workshop.svelte.js';

vi.mock('@vertx/eventbus-bridge-client.js', () => import('../fakes/eventBus.js'));

const BASE = '/api/codelabs/c1';
const ME = { id: 'a1', name: 'Ada' };
const steps = (count) => Array.from({ length: count }, (_, position) => ({ position, title: `Step ${position}` }));

let browser;
let joined;
let socket;
let seq;

function restRoom() {
  return {
    '/api/realtime': { url: 'http://localhost:9100/eventbus' },
    [BASE]: { id: 'c1', title: 'Vert.x', steps: steps(4), progress: { currentStep: 1, completedSteps: [0] } },
    [`${BASE}/help`]: { help: [] },
    [`${BASE}/chat?limit=200`]: { messages: [{ id: 'm0', text: 'welcome', direct: null }] },
    [`${BASE}/announcements`]: { announcements: [{ id: 'n1', pinned: false }] },
    [`${BASE}/submissions`]: { submissions: [{ id: 's1' }] },
    [`${BASE}/materials`]: { materials: [{ id: 'f1' }] }
  };
}

/** Joins and brings the realtime stream online at seq 0. */
async function join(options) {
  joined = joinWorkshop('c1', ME, options);
  await settle();
  socket = FakeEventBus.latest();
  socket.accept();
  socket.reply('codelab.events.replay', { latestSeq: 0, epoch: 'e1', events: [], more: false });
  await settle();
  seq = 0;
  return joined.workshop;
}

function publish(type, data, extra = {}) {
  seq += 1;
  socket.publish('codelab.public.c1', { seq, epoch: 'e1', type, data, ...extra });
}

const sentTo = (address) => socket.sent.filter((entry) => entry.address === address).map((entry) => entry.body);

beforeEach(() => {
  FakeEventBus.reset();
  browser = installBrowser(restRoom());
});

afterEach(() => {
  // Commands still waiting fail as offline first: close() alone would send them again without end.
  FakeEventBus.latest()?.drop();
  joined?.close();
  joined = null;
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

describe('joining', () => {
  it('loads the codelab as an attendee and places them at their saved step', async () => {
    const workshop = await join();

    expect(workshop.codelab.title).toBe('Vert.x');
    expect(workshop.current).toBe(1);
    expect(workshop.completed).toEqual([0]);
    expect(workshop.messages).toEqual([{ id: 'm0', text: 'welcome', direct: false, pending: false }]);
    expect(socket.handlers.has('codelab.inbox.c1.a1')).toBe(true);
    expect(browser.requests.filter((request) => request.path === BASE).length).toBeGreaterThanOrEqual(1);
    expect(joined.connection.state).toBe('online');
  });

  it('keeps the step the attendee is on when the stream resyncs, and never loses a completed step', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const workshop = await join();
    joined.goTo(2);
    browser.routes[BASE] = { ...browser.routes[BASE], progress: { currentStep: 0, completedSteps: [3] } };

    socket.drop();
    await vi.runOnlyPendingTimersAsync();
    await settle();
    FakeEventBus.latest().accept();
    FakeEventBus.latest().reply('codelab.events.replay', { reset: true, latestSeq: 50, epoch: 'e2', events: [] });
    await settle();

    expect(workshop.current).toBe(2);
    expect(workshop.completed).toEqual([0, 1, 3]);
  });
});

describe('moving through steps', () => {
  it('marks the step left as completed when moving on to the next one, and reports both', async () => {
    const workshop = await join();

    joined.goTo(2);

    expect(workshop.current).toBe(2);
    expect(workshop.completed).toEqual([0, 1]);
    expect(sentTo('codelab.progress.report')).toEqual([
      { eventId: expect.stringMatching(/^p-/), step: 1, completed: true },
      { eventId: expect.stringMatching(/^p-/), step: 2 }
    ]);
  });

  it('reports a jump without completing anything, and ignores steps that do not exist', async () => {
    const workshop = await join();

    joined.goTo(3);
    joined.goTo(4);
    joined.goTo(-1);

    expect(workshop.current).toBe(3);
    expect(workshop.completed).toEqual([0]);
    expect(sentTo('codelab.progress.report')).toEqual([{ eventId: expect.stringMatching(/^p-/), step: 3 }]);
  });

  it('opens at the step its address names, over the saved one, completing nothing and reporting where it is', async () => {
    const workshop = await join({ startAt: 3 });

    expect(workshop.current).toBe(3);
    expect(workshop.completed).toEqual([0]);
    expect(sentTo('codelab.progress.report')).toEqual([{ eventId: expect.stringMatching(/^p-/), step: 3 }]);
  });

  it('opens at a step address past the end at the last step, and reports nothing when it is the saved step', async () => {
    const workshop = await join({ startAt: 1 });
    expect(workshop.current).toBe(1);
    expect(sentTo('codelab.progress.report')).toEqual([]);
    joined.close();

    const past = await join({ startAt: 9 });
    expect(past.current).toBe(3);
  });

  it('takes the completed steps the server answers', async () => {
    const workshop = await join();

    joined.finish();
    socket.reply('codelab.progress.report', { completedSteps: [0, 1, 2] });
    await settle();

    expect(workshop.completed).toEqual([0, 1, 2]);
  });
});

describe('chat', () => {
  it('shows a message at once as pending and confirms it once, whether the reply or the event comes first', async () => {
    const workshop = await join();

    joined.say('hi', false);
    expect(workshop.messages.at(-1)).toMatchObject({ text: 'hi', pending: true, senderId: 'a1' });
    const key = sentTo('codelab.chat.send')[0].eventId;
    publish('chat.posted', { message: { id: 'm1', text: 'hi' } }, { eventId: key });
    socket.reply('codelab.chat.send', { message: { id: 'm1', text: 'hi' } });
    await settle();

    expect(workshop.messages.map((message) => [message.id, message.pending])).toEqual([['m0', false], ['m1', false]]);
  });

  it('keeps a message once when a reload after a reconnect already lists it before its reply comes', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const workshop = await join();
    joined.say('hi', false);
    socket.drop();
    browser.routes[`${BASE}/chat?limit=200`] = { messages: [{ id: 'm0', text: 'welcome' }, { id: 'm1', text: 'hi' }] };

    await vi.runOnlyPendingTimersAsync();
    await settle();
    const second = FakeEventBus.latest();
    second.accept();
    second.reply('codelab.events.replay', { reset: true, latestSeq: 50, epoch: 'e2', events: [] });
    await settle();
    second.reply('codelab.chat.send', { message: { id: 'm1', text: 'hi' } });
    await settle();

    expect(workshop.messages.map((message) => [message.id, message.pending])).toEqual([['m0', false], ['m1', false]]);
  });

  it('marks a message the server refused as failed', async () => {
    const workshop = await join();

    joined.say('', false);
    socket.fail('codelab.chat.send', 400, 'empty');
    await settle();

    expect(workshop.messages.at(-1)).toMatchObject({ pending: false, failed: true });
  });

  it('adds messages from others once, however often they arrive', async () => {
    const workshop = await join();

    publish('chat.posted', { message: { id: 'm2', text: 'from Bo' } });
    socket.publish('codelab.public.c1', { seq, epoch: 'e1', type: 'chat.posted', data: { message: { id: 'm2' } } });
    publish('chat.posted', { message: { id: 'm2', text: 'from Bo' } });

    expect(workshop.messages.map((message) => message.id)).toEqual(['m0', 'm2']);
  });
});

describe('help', () => {
  it('shows the request as sending, then as the server holds it, then follows its events', async () => {
    const workshop = await join();

    const asked = joined.askForHelp();
    expect(workshop.help).toEqual({ status: 'sending', step: 1 });
    socket.reply('codelab.help.request', { help: { id: 'h1', status: 'open', step: 1 } });
    await asked;
    expect(workshop.help).toEqual({ id: 'h1', status: 'open', step: 1 });

    publish('help.claimed', { help: { id: 'h1', status: 'claimed', step: 1 } });

    expect(workshop.help.status).toBe('claimed');
  });
});

describe('events for the room', () => {
  it('add announcements and materials once and replace pinned announcements', async () => {
    const workshop = await join();

    publish('announcement.posted', { announcement: { id: 'n1', pinned: false } });
    publish('announcement.posted', { announcement: { id: 'n2', pinned: false } });
    publish('announcement.pinned', { announcement: { id: 'n2', pinned: true } });
    publish('material.added', { material: { id: 'f1' } });
    publish('material.added', { material: { id: 'f2' } });
    publish('material.removed', { materialId: 'f1' });

    expect(workshop.announcements).toEqual([{ id: 'n1', pinned: false }, { id: 'n2', pinned: true }]);
    expect(workshop.materials).toEqual([{ id: 'f2' }]);
  });

  it('add a hand-in once and drop a withdrawn one', async () => {
    const workshop = await join();

    publish('submission.added', { submission: { id: 's2' } });
    publish('submission.added', { submission: { id: 's2' } });
    publish('submission.deleted', { submissionId: 's1' });

    expect(workshop.submissions).toEqual([{ id: 's2' }]);
  });

  it('take new settings of the codelab without a reload', async () => {
    const workshop = await join();

    publish('codelab.updated', { title: 'Vert.x 5', stepsChanged: false });

    expect(workshop.codelab).toMatchObject({ title: 'Vert.x 5', steps: steps(4) });
  });

  it('fetch the codelab again when its steps changed, keep the attendee on a step that exists and flag the edited one', async () => {
    const workshop = await join();
    joined.goTo(3);
    browser.routes[BASE] = { ...browser.routes[BASE], steps: steps(2) };

    publish('codelab.updated', { stepsChanged: true, position: 1 });
    await settle();

    expect(workshop.codelab.steps).toHaveLength(2);
    expect(workshop.current).toBe(1);
    expect(workshop.updatedStep).toBe(1);
  });

  it('keep the attendee on the step it was reading when the steps are reordered, with the completions the server moved', async () => {
    const withIds = (...ids) => ids.map((id, position) => ({ id, position, title: `Step ${id}` }));
    browser.routes[BASE] = { ...browser.routes[BASE], steps: withIds('a', 'b', 'c', 'd') };
    const workshop = await join();
    joined.goTo(2);
    browser.routes[BASE] = {
      ...browser.routes[BASE], steps: withIds('c', 'a', 'b'), progress: { currentStep: 0, completedSteps: [1, 2] }
    };

    publish('codelab.updated', { stepsChanged: true });
    await settle();

    expect(workshop.current).toBe(0);
    expect(workshop.completed).toEqual([1, 2]);
  });
});
