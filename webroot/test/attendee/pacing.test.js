import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import FakeEventBus from '../fakes/eventBus.js';
import { installBrowser, settle } from '../fakes/browser.js';
import { joinWorkshop } from '../../src/attendee/workshop.svelte.js';

vi.mock('@vertx/eventbus-bridge-client.js', () => import('../fakes/eventBus.js'));

const BASE = '/api/codelabs/c1';
const steps = (count) => Array.from({ length: count }, (_, position) => ({ position, title: `Step ${position}` }));

let joined;
let socket;
let seq;

function restRoom(pacing) {
  return {
    '/api/realtime': { url: 'http://localhost:9100/eventbus' },
    [BASE]: { id: 'c1', title: 'Vert.x', steps: steps(5), progress: { currentStep: 1, completedSteps: [0] } },
    [`${BASE}/help`]: { help: [] },
    [`${BASE}/chat?limit=200`]: { messages: [] },
    [`${BASE}/announcements`]: { announcements: [] },
    [`${BASE}/submissions`]: { submissions: [] },
    [`${BASE}/materials`]: { materials: [] },
    [`${BASE}/pacing`]: pacing
  };
}

async function join(pacing = { heldAtStep: null, knownIssues: [], poll: null }) {
  installBrowser(restRoom(pacing));
  joined = joinWorkshop('c1', { id: 'a1', name: 'Ada' });
  await settle();
  socket = FakeEventBus.latest();
  socket.accept();
  socket.reply('codelab.events.replay', { latestSeq: 0, epoch: 'e1', events: [], more: false });
  await settle();
  seq = 0;
  return joined.workshop;
}

function publish(type, data) {
  seq += 1;
  socket.publish('codelab.public.c1', { seq, epoch: 'e1', type, data });
}

const sentTo = (address) => socket.sent.filter((entry) => entry.address === address).map((entry) => entry.body);

beforeEach(() => FakeEventBus.reset());

afterEach(() => {
  FakeEventBus.latest()?.drop();
  joined?.close();
  joined = null;
  vi.unstubAllGlobals();
});

describe('a hold', () => {
  it('keeps the attendee at the held step until released, going back stays allowed', async () => {
    const workshop = await join({ heldAtStep: 2, knownIssues: [], poll: null });
    expect(joined.pacing.heldAtStep).toBe(2);
    joined.goTo(2);
    joined.goTo(3);
    expect(workshop.current).toBe(2);
    joined.goTo(0);
    expect(workshop.current).toBe(0);

    publish('pacing.released', { step: 2 });
    joined.goTo(3);
    expect(workshop.current).toBe(3);
    publish('pacing.held', { step: 1 });
    expect(joined.pacing.heldAtStep).toBe(1);
  });

  it('moves everyone sent to a step, and they may come back', async () => {
    const workshop = await join();
    publish('pacing.sent-to-step', { step: 3 });
    expect(workshop.current).toBe(3);
    expect(sentTo('codelab.progress.report').map((body) => body.step)).toContain(3);
    joined.goTo(1);
    expect(workshop.current).toBe(1);
  });
});

describe('a pulse poll', () => {
  it('shows the open poll, sends one answer and lets it change; a closed poll goes away', async () => {
    await join({ heldAtStep: null, knownIssues: [], poll: { id: 'p1', step: 1, closedAt: null, mine: 'not-yet' } });
    expect(joined.pacing.poll.id).toBe('p1');
    expect(joined.pacing.mine).toBe('not-yet');

    const answered = joined.answerPoll('yes');
    expect(joined.pacing.mine).toBe('yes');
    socket.reply('codelab.poll.answer', { answer: 'yes' });
    await answered;
    expect(sentTo('codelab.poll.answer')).toEqual([{ pollId: 'p1', answer: 'yes' }]);

    publish('poll.closed', { poll: { id: 'p1', step: 1, closedAt: 5 } });
    expect(joined.pacing.poll).toBeNull();
    publish('poll.started', { poll: { id: 'p2', step: 2, closedAt: null } });
    expect(joined.pacing).toMatchObject({ poll: { id: 'p2' }, mine: null });
  });
});

describe('known issues and help', () => {
  it('keeps the note per step, live', async () => {
    await join({ heldAtStep: null, knownIssues: [{ step: 1, text: 'Use the mirror' }], poll: null });
    expect(joined.pacing.knownIssues).toEqual({ 1: 'Use the mirror' });
    publish('issue.pinned', { step: 3, text: 'Port 8080 is taken' });
    publish('issue.unpinned', { step: 1 });
    expect(joined.pacing.knownIssues).toEqual({ 3: 'Port 8080 is taken' });
  });

  it("sends the attendee's words with the request, and cancels its own request", async () => {
    const workshop = await join();
    const asked = joined.askForHelp('Gradle sync fails');
    expect(sentTo('codelab.help.request')[0]).toMatchObject({ step: 1, message: 'Gradle sync fails' });
    socket.reply('codelab.help.request', { help: { id: 'h1', status: 'open', step: 1, message: 'Gradle sync fails' } });
    await asked;

    const cancelled = joined.cancelHelp();
    expect(sentTo('codelab.help.cancel')).toEqual([{ helpId: 'h1' }]);
    socket.reply('codelab.help.cancel', { help: { id: 'h1', status: 'cancelled', step: 1 } });
    await cancelled;
    expect(workshop.help.status).toBe('cancelled');
  });
});
