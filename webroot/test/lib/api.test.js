import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError, TIMEOUT_MS, get, post } from '../../src/lib/api.js';

/** A fetch that answers only when told, and, as the browser's does, fails at once when its signal aborts. */
function heldFetch() {
  const calls = [];
  vi.stubGlobal('fetch', vi.fn((url, init) => new Promise((resolve, reject) => {
    init.signal.addEventListener('abort', () => reject(new DOMException('The operation was aborted.', 'AbortError')));
    calls.push({ url, init, answer: (status, body) => resolve(new Response(JSON.stringify(body), { status })) });
  })));
  return calls;
}

describe('REST calls', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
  });

  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllGlobals();
  });

  it('a call left unanswered fails after the timeout as a network failure, without a status', async () => {
    heldFetch();
    const call = get('/api/codelabs');
    const outcome = call.then(() => 'answered', (error) => error);

    await vi.advanceTimersByTimeAsync(TIMEOUT_MS - 1);
    expect(await Promise.race([outcome, Promise.resolve('pending')])).toBe('pending');
    await vi.advanceTimersByTimeAsync(1);

    const error = await outcome;
    expect(error).not.toBeInstanceOf(ApiError);
    expect(error.status).toBeUndefined();
    expect(error.name).toBe('AbortError');
  });

  it('an answered call keeps no timer, and its failures keep their status', async () => {
    const calls = heldFetch();
    const listed = get('/api/codelabs');
    await vi.advanceTimersByTimeAsync(0);
    calls[0].answer(200, { codelabs: [] });
    await expect(listed).resolves.toEqual({ codelabs: [] });

    const refused = post('/api/codelabs', { title: '' });
    await vi.advanceTimersByTimeAsync(0);
    calls[1].answer(400, { title: 'Bad Request', detail: 'title is empty' });
    await expect(refused).rejects.toMatchObject({ status: 400, message: 'title is empty' });
    expect(vi.getTimerCount()).toBe(0);
  });
});
