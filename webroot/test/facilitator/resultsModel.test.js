import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { installBrowser, settle } from '../fakes/browser.js';
import { createResults, REFRESH_MS } from '../../src/facilitator/resultsModel.svelte.js';

const BASE = '/api/codelabs/c1';
let browser;
let closing;

const event = (type, data = {}) => ({ seq: 1, type, data });
const reads = (path) => browser.requests.filter((r) => r.method === 'GET' && r.path === path).length;

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
  browser = installBrowser({
    [`${BASE}/results`]: { quizzes: [], feedback: { count: 0 }, completion: { complete: 0, attendees: 2, missing: [] } },
    [`${BASE}/feedback`]: { summary: { count: 1 }, comments: [{ nickname: 'Ada', comment: 'fun' }] },
    [`${BASE}/certificates`]: { certificates: [{ id: 'x', name: 'Ada', status: 'valid' }] },
    [`${BASE}/raffles`]: { raffles: [] }
  });
  closing = createResults('c1');
});

afterEach(() => {
  closing.dispose();
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

describe('the results of a room', () => {
  it('read everything when shown', async () => {
    await closing.show(true);

    expect(closing.results.summary.completion.attendees).toBe(2);
    expect(closing.results.feedback.comments).toEqual([{ nickname: 'Ada', comment: 'fun' }]);
    expect(closing.results.certificates).toHaveLength(1);
    expect(closing.results.raffles).toEqual([]);
  });

  it('re-read only what an event changed, once per burst of events', async () => {
    await closing.show(true);
    for (let i = 0; i < 50; i += 1) closing.onEvent(event('quiz.submitted', { attendeeId: `a${i}`, percent: 50 }));
    closing.onEvent(event('feedback.given'));
    closing.onEvent(event('attendee.completed'));
    closing.onEvent(event('chat.posted'));

    expect(reads(`${BASE}/results`)).toBe(1);
    await vi.advanceTimersByTimeAsync(REFRESH_MS);
    await settle();

    expect(reads(`${BASE}/results`)).toBe(2);
    expect(reads(`${BASE}/feedback`)).toBe(2);
    expect(reads(`${BASE}/certificates`)).toBe(1);
  });

  it('keep quiet while hidden, and read again when shown', async () => {
    closing.onEvent(event('certificate.issued'));
    await vi.advanceTimersByTimeAsync(REFRESH_MS * 2);
    expect(browser.requests).toEqual([]);

    await closing.show(true);
    expect(reads(`${BASE}/certificates`)).toBe(1);
  });

  it('keep the latest draw for the reveal and put a new raffle first', async () => {
    await closing.show(true);
    browser.routes[`${BASE}/raffles`] = { raffle: { id: 'r2', winners: [{ nickname: 'Bo' }], eligible: 4, seed: 'ff' } };

    closing.onEvent(event('raffle.drawn', { raffleId: 'r2', winners: [{ nickname: 'Bo' }], eligible: 4, seed: 'ff' }));
    const raffle = await closing.draw(1, 'completed');

    expect(closing.results.drawn).toMatchObject({ raffleId: 'r2', seed: 'ff' });
    expect(raffle.id).toBe('r2');
    expect(closing.results.raffles.map((r) => r.id)).toEqual(['r2']);
  });
});
