import { get, post, ApiError } from '../lib/api.js';
import { EventType } from '../lib/catalogue.js';

/** A room of a thousand attendees submitting at once asks for the results at most this often. */
export const REFRESH_MS = 1500;

const PARTS = {
  [EventType.QUIZ_SUBMITTED]: ['results'],
  [EventType.FEEDBACK_GIVEN]: ['results', 'feedback'],
  [EventType.ATTENDEE_COMPLETED]: ['results'],
  [EventType.QUIZZES_UPDATED]: ['results'],
  [EventType.CERTIFICATE_ISSUED]: ['certificates'],
  [EventType.CERTIFICATE_REVOKED]: ['certificates'],
  [EventType.RAFFLE_DRAWN]: ['raffles']
};

/**
 * The closing of one codelab as its facilitators watch it: quiz results per question, feedback,
 * completion, certificates and raffles. Events only say that something changed; the views re-read
 * the aggregate from REST, throttled, and only while they are shown (a hidden tab reloads when shown).
 */
export function createResults(codelabId) {
  const base = `/api/codelabs/${encodeURIComponent(codelabId)}`;
  const results = $state({
    summary: null,
    /** Every attendee's feedback: the distributions and the comments. */
    feedback: null,
    certificates: [],
    raffles: [],
    /** The newest draw announced while the page is open, for the projector's and the panel's reveal. */
    drawn: null,
    loadError: null,
    active: false
  });
  const stale = new Set();
  let timer = null;

  const orEmpty = (promise, fallback) => promise.catch((error) => {
    if (error instanceof ApiError && error.status === 404) return fallback;
    throw error;
  });

  const loaders = {
    results: async () => (results.summary = await get(`${base}/results`)),
    feedback: async () => (results.feedback = await orEmpty(get(`${base}/feedback`), null)),
    certificates: async () => (results.certificates = (await orEmpty(get(`${base}/certificates`), { certificates: [] })).certificates),
    raffles: async () => (results.raffles = (await orEmpty(get(`${base}/raffles`), { raffles: [] })).raffles)
  };

  async function load(parts) {
    try {
      await Promise.all([...parts].map((part) => loaders[part]()));
      results.loadError = null;
    } catch (failure) {
      results.loadError = failure;
    }
  }

  function refreshLater() {
    if (timer || !results.active) return;
    timer = setTimeout(() => {
      timer = null;
      const parts = new Set(stale);
      stale.clear();
      load(parts);
    }, REFRESH_MS);
  }

  return {
    results,
    reload: () => load(Object.keys(loaders)),

    /** Shown or hidden: only a shown panel re-reads; what changed while hidden is read on showing. */
    show(active) {
      results.active = active;
      if (active) {
        stale.clear();
        return load(Object.keys(loaders));
      }
    },

    /** Takes one realtime event of the dashboard; other types pass by untouched. */
    onEvent(event) {
      const parts = PARTS[event.type];
      if (!parts) return;
      if (event.type === EventType.RAFFLE_DRAWN) results.drawn = event.data;
      parts.forEach((part) => stale.add(part));
      refreshLater();
    },

    async revoke(certificateId, reason) {
      await post(`${base}/certificates/${encodeURIComponent(certificateId)}/revoke`, { reason });
      await loaders.certificates();
    },

    async draw(winners, among) {
      const reply = await post(`${base}/raffles`, { winners, among });
      results.raffles = [reply.raffle, ...results.raffles.filter((raffle) => raffle.id !== reply.raffle.id)];
      return reply.raffle;
    },

    csvUrl: `${base}/results.csv`,

    dispose() {
      clearTimeout(timer);
    }
  };
}
