import { get, post, put, eventId, ApiError } from '../lib/api.js';
import { EventType } from '../lib/catalogue.js';
import { afterAttempt } from '../lib/closing.js';

const AS_ATTENDEE = { as: 'attendee' };

/**
 * The end of the workshop for one attendee: quizzes (without answers) and their own attempts, their
 * feedback, what completion still needs, their certificate and raffle wins. Loaded from REST apart from
 * the steps, so a codelab without any of it (404s) never keeps the workshop from loading.
 */
export function attendeeClosing(base, me) {
  const closing = $state({
    quizzes: [],
    /** The latest graded attempt per quiz id: score per question and any revealed answers. */
    graded: {},
    feedback: null,
    completion: null,
    certificate: null,
    won: null,
    /** False until the first read: forms that start from the saved values wait for it. */
    loaded: false
  });

  const orNull = (promise) => promise.catch((error) => {
    if (error instanceof ApiError && error.status === 404) return null;
    throw error;
  });

  async function reload() {
    const [quizzes, completion, feedback, certificate] = await Promise.all([
      orNull(get(`${base}/quizzes`, AS_ATTENDEE)),
      orNull(get(`${base}/completion`, AS_ATTENDEE)),
      orNull(get(`${base}/feedback`, AS_ATTENDEE)),
      orNull(get(`${base}/certificate`, AS_ATTENDEE))
    ]);
    closing.quizzes = quizzes?.quizzes ?? [];
    closing.completion = completion;
    await Promise.all(closing.quizzes.filter((quiz) => quiz.mine?.attemptsUsed > 0).map(lastAttempt));
    closing.feedback = feedback?.feedback ?? feedback;
    closing.certificate = certificate?.certificate ?? certificate;
    closing.loaded = true;
  }

  /** After a reload the page shows the latest result again, not a blank sheet. */
  async function lastAttempt(quiz) {
    const reply = await orNull(get(`${base}/quizzes/${encodeURIComponent(quiz.id)}/attempts`, AS_ATTENDEE));
    const latest = (reply?.attempts ?? []).reduce((last, attempt) => (!last || attempt.number > last.number ? attempt : last), null);
    if (latest) closing.graded[quiz.id] = latest;
  }

  async function reloadQuizzes() {
    closing.quizzes = (await orNull(get(`${base}/quizzes`, AS_ATTENDEE)))?.quizzes ?? [];
  }

  async function reloadCompletion() {
    closing.completion = await orNull(get(`${base}/completion`, AS_ATTENDEE));
  }

  /** The reply to a submission and the inbox's quiz.graded both carry the attempt; applying it twice changes nothing. */
  function graded(attempt) {
    const quiz = closing.quizzes.find((q) => q.id === attempt.quizId);
    if (quiz && (closing.graded[attempt.quizId]?.number ?? 0) <= attempt.number) {
      quiz.mine = afterAttempt(quiz.mine, attempt, quiz);
      closing.graded[attempt.quizId] = attempt;
    }
  }

  function certified(certificate) {
    if (certificate) closing.certificate = certificate;
    else get(`${base}/certificate`, AS_ATTENDEE).then((reply) => (closing.certificate = reply.certificate ?? reply), () => {});
  }

  const quietly = (promise) => promise.catch(() => {});

  /** Applies one event of the public stream or the inbox; false when the type is not about closing. */
  function apply(event) {
    const data = event.data ?? {};
    switch (event.type) {
      case EventType.QUIZZES_UPDATED:
        quietly(reloadQuizzes());
        return true;
      case EventType.QUIZ_GRADED:
        graded(data.attempt ?? data);
        if (data.completion) closing.completion = data.completion;
        return true;
      case EventType.COMPLETION_REACHED:
        quietly(reloadCompletion());
        return true;
      case EventType.CERTIFICATE_ISSUED:
      case EventType.CERTIFICATE_REVOKED:
        certified(data.certificate);
        return true;
      case EventType.RAFFLE_DRAWN:
        if ((data.winners ?? []).some((winner) => winner.attendeeId === me.id || winner.nickname === me.name)) {
          closing.won = { raffleId: data.raffleId };
        }
        return true;
      default:
        return false;
    }
  }

  return {
    closing,
    reload,
    reloadCompletion,
    apply,

    /** Sends an attempt; resolves with the graded attempt. Rejects with the ApiError (409: no attempts left). */
    async submitQuiz(quizId, answers) {
      const reply = await post(`${base}/quizzes/${encodeURIComponent(quizId)}/attempts`,
        { answers, eventId: eventId('q') }, AS_ATTENDEE);
      graded(reply.attempt);
      if (reply.completion) closing.completion = reply.completion;
      return reply.attempt;
    },

    async giveFeedback(feedback) {
      const reply = await put(`${base}/feedback`, feedback, AS_ATTENDEE);
      closing.feedback = reply.feedback ?? feedback;
      if (reply.completion) closing.completion = reply.completion;
    },

    /** The printed name can be set once; a second request returns the certificate already made. */
    async claimCertificate(name) {
      const reply = await post(`${base}/certificate`, name ? { name } : {}, AS_ATTENDEE);
      closing.certificate = reply.certificate ?? reply;
      return closing.certificate;
    }
  };
}
