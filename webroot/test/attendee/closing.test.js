import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import FakeEventBus from '../fakes/eventBus.js';
import { installBrowser, settle } from '../fakes/browser.js';
import { joinWorkshop } from '../../src/attendee/workshop.svelte.js';

vi.mock('@vertx/eventbus-bridge-client.js', () => import('../fakes/eventBus.js'));

const BASE = '/api/codelabs/c1';
const ME = { id: 'a1', name: 'Ada' };
const INBOX = 'codelab.inbox.c1.a1';
const PUBLIC = 'codelab.public.c1';

const quiz = {
  id: 'q1', title: 'Check', step: null, attempts: 2, scoring: 'best', reveal: 'after-submit',
  questions: [{ id: 'one', kind: 'single', promptHtml: '<p>Which?</p>', choices: [{ id: 'a', text: 'A' }, { id: 'b', text: 'B' }] }],
  mine: { attemptsUsed: 0, attemptsLeft: 2, bestPercent: null, lastPercent: null, passed: false }
};
const missingQuiz = { complete: false, completedAt: null, missing: ['quiz'], steps: { done: 3, total: 3 } };
const complete = { complete: true, completedAt: 1000, missing: [], steps: { done: 3, total: 3 } };
const attempt = (number, percent, passed) => ({
  quizId: 'q1', number, score: percent / 100, maxScore: 1, percent, passed, submittedAt: 5, questions: [{ questionId: 'one', correct: passed }]
});

let browser;
let joined;
let socket;
let seq;

function restRoom() {
  return {
    '/api/realtime': { url: 'http://localhost:9100/eventbus' },
    [BASE]: { id: 'c1', title: 'Vert.x', steps: [{ position: 0 }, { position: 1 }, { position: 2 }], progress: { currentStep: 2, completedSteps: [0, 1] } },
    [`${BASE}/help`]: { help: [] },
    [`${BASE}/chat?limit=200`]: { messages: [] },
    [`${BASE}/announcements`]: { announcements: [] },
    [`${BASE}/submissions`]: { submissions: [] },
    [`${BASE}/materials`]: { materials: [] },
    [`${BASE}/quizzes`]: { quizzes: [structuredClone(quiz)] },
    [`${BASE}/completion`]: missingQuiz
  };
}

async function join() {
  joined = joinWorkshop('c1', ME);
  await settle();
  socket = FakeEventBus.latest();
  socket.accept();
  socket.reply('codelab.events.replay', { latestSeq: 0, epoch: 'e1', events: [], more: false });
  await settle();
  seq = 0;
  return joined.closing;
}

function deliver(address, type, data) {
  seq += 1;
  socket.publish(address, { seq, epoch: 'e1', type, data });
}

beforeEach(() => {
  FakeEventBus.reset();
  browser = installBrowser(restRoom());
});

afterEach(() => {
  FakeEventBus.latest()?.drop();
  joined?.close();
  joined = null;
  vi.unstubAllGlobals();
});

describe('closing a workshop as an attendee', () => {
  it('loads quizzes and completion, and takes a missing feedback or certificate (404) as none yet', async () => {
    const closing = await join();

    expect(closing.loaded).toBe(true);
    expect(closing.quizzes.map((q) => q.id)).toEqual(['q1']);
    expect(closing.completion.missing).toEqual(['quiz']);
    expect(closing.feedback).toBeNull();
    expect(closing.certificate).toBeNull();
  });

  it('grades an attempt once whether the reply or the inbox event comes first, and counts attempts down', async () => {
    const closing = await join();
    browser.routes[`${BASE}/quizzes/q1/attempts`] = { attempt: attempt(1, 0, false), completion: missingQuiz };

    deliver(INBOX, 'quiz.graded', attempt(1, 0, false));
    await joined.submitQuiz('q1', { one: ['a'] });

    expect(closing.graded.q1).toMatchObject({ number: 1, percent: 0 });
    expect(closing.quizzes[0].mine).toMatchObject({ attemptsUsed: 1, attemptsLeft: 1, passed: false });
    expect(browser.requests.filter((r) => r.method === 'POST').map((r) => r.path)).toEqual([`${BASE}/quizzes/q1/attempts`]);
  });

  it('keeps the newer attempt when an older one arrives late, and takes the completion it carries', async () => {
    const closing = await join();

    deliver(INBOX, 'quiz.graded', { attempt: attempt(2, 100, true), completion: complete });
    deliver(INBOX, 'quiz.graded', { attempt: attempt(1, 0, false) });

    expect(closing.graded.q1.number).toBe(2);
    expect(closing.quizzes[0].mine).toMatchObject({ attemptsUsed: 2, attemptsLeft: 0, bestPercent: 100, passed: true });
    expect(closing.completion.complete).toBe(true);
  });

  it('re-reads the quizzes when the facilitator changes them, and completion when it is reached', async () => {
    const closing = await join();
    browser.routes[`${BASE}/quizzes`] = { quizzes: [] };
    browser.routes[`${BASE}/completion`] = complete;

    deliver(PUBLIC, 'quizzes.updated', {});
    deliver(INBOX, 'completion.reached', { attendeeId: 'a1', nickname: 'Ada', completedAt: 1000 });
    await settle();

    expect(closing.quizzes).toEqual([]);
    expect(closing.completion.complete).toBe(true);
  });

  it('shows the latest graded attempt again after a reload', async () => {
    browser.routes[`${BASE}/quizzes`] = { quizzes: [{ ...structuredClone(quiz), mine: { attemptsUsed: 2, attemptsLeft: 0, passed: true } }] };
    browser.routes[`${BASE}/quizzes/q1/attempts`] = { attempts: [attempt(2, 100, true), attempt(1, 0, false)] };

    const closing = await join();

    expect(closing.graded.q1).toMatchObject({ number: 2, passed: true });
  });

  it('re-reads completion after a step is reported completed', async () => {
    const closing = await join();
    browser.routes[`${BASE}/completion`] = complete;

    joined.finish();
    socket.reply('codelab.progress.report', { completedSteps: [0, 1, 2] });
    await settle();

    expect(closing.completion.complete).toBe(true);
  });

  it('keeps its feedback and certificate, and follows the certificate through issue and revocation', async () => {
    const closing = await join();
    browser.routes[`${BASE}/feedback`] = { feedback: { difficulty: 2, satisfaction: 5, comment: 'great' }, completion: complete };
    browser.routes[`${BASE}/certificate`] = { certificate: { id: 'cert1', name: 'Ada L.', status: 'valid' } };

    await joined.giveFeedback({ difficulty: 2, satisfaction: 5, comment: 'great' });
    await joined.claimCertificate('Ada L.');
    expect(closing.feedback).toEqual({ difficulty: 2, satisfaction: 5, comment: 'great' });
    expect(closing.completion.complete).toBe(true);
    expect(closing.certificate).toMatchObject({ id: 'cert1', status: 'valid' });

    deliver(INBOX, 'certificate.revoked', { certificate: { id: 'cert1', name: 'Ada L.', status: 'revoked', revocationReason: 'copied' } });
    expect(closing.certificate).toMatchObject({ status: 'revoked', revocationReason: 'copied' });
  });

  it('tells the attendee when a raffle drew them, and not when it drew others', async () => {
    const closing = await join();

    deliver(PUBLIC, 'raffle.drawn', { raffleId: 'r1', winners: [{ nickname: 'Bo' }], eligible: 3, seed: 'ab' });
    expect(closing.won).toBeNull();
    deliver(PUBLIC, 'raffle.drawn', { raffleId: 'r2', winners: [{ nickname: 'Bo' }, { nickname: 'Ada' }], eligible: 3, seed: 'cd' });
    expect(closing.won).toEqual({ raffleId: 'r2' });
  });
});
