/** The parts of closing a workshop that both sides share: quiz answers, placement, completion and raffle reels. */

export const QUESTION_KINDS = ['single', 'multiple', 'short', 'free'];
export const COMPLETION_PARTS = ['steps', 'quiz', 'feedback', 'submission'];
export const DEFAULT_COMPLETION = Object.freeze({ allSteps: true, quiz: false, passMark: 70, feedback: false, submission: false });

/** The quizzes shown with a step: those placed after it, and on the last step those placed at the end. */
export function quizzesAt(quizzes, step, stepCount) {
  const atEnd = (quiz) => quiz.step === null || quiz.step === undefined || quiz.step >= stepCount - 1;
  return quizzes.filter((quiz) => (step === stepCount - 1 ? atEnd(quiz) : quiz.step === step));
}

/** A blank answer sheet: a list of choice ids for choice questions, text for the others. */
export function blankAnswers(quiz) {
  return Object.fromEntries(quiz.questions.map((q) => [q.id, isChoice(q.kind) ? [] : '']));
}

export const isChoice = (kind) => kind === 'single' || kind === 'multiple';

/** The body of an attempt: every answered question, texts trimmed; unanswered ones are left out. */
export function attemptAnswers(quiz, sheet) {
  const answers = {};
  for (const question of quiz.questions) {
    const value = sheet[question.id];
    if (isChoice(question.kind)) {
      if (Array.isArray(value) && value.length > 0) answers[question.id] = question.kind === 'single' ? value.slice(0, 1) : [...value];
    } else if (typeof value === 'string' && value.trim() !== '') {
      answers[question.id] = value.trim();
    }
  }
  return answers;
}

/** Unlimited attempts (0) never run out; otherwise what the server says is left. */
export function canAttempt(quiz) {
  if (quiz.attempts === 0) return true;
  return (quiz.mine?.attemptsLeft ?? quiz.attempts) > 0;
}

/** The per-quiz record an attendee keeps after a graded attempt, as GET quizzes would now report it. */
export function afterAttempt(mine, attempt, quiz) {
  const used = Math.max(mine?.attemptsUsed ?? 0, attempt.number);
  const best = Math.max(mine?.bestPercent ?? 0, attempt.percent);
  return {
    attemptsUsed: used,
    attemptsLeft: quiz.attempts === 0 ? null : Math.max(0, quiz.attempts - used),
    bestPercent: best,
    lastPercent: attempt.percent,
    passed: Boolean(mine?.passed) || Boolean(attempt.passed)
  };
}

/** The correct answer the server revealed for a question, as text to show; null when it revealed none. */
export function revealedAnswer(question, revealed) {
  const answer = revealed?.[question.id];
  if (answer === undefined || answer === null) return null;
  const values = Array.isArray(answer) ? answer : [answer];
  if (!isChoice(question.kind)) return values.join(' / ');
  return values.map((id) => question.choices?.find((choice) => choice.id === id)?.text ?? id).join(', ');
}

/** The choice ids the server revealed as correct, for marking the choices themselves. */
export function revealedChoices(question, revealed) {
  const answer = revealed?.[question.id];
  return new Set(isChoice(question.kind) && answer ? (Array.isArray(answer) ? answer : [answer]) : []);
}

/** What is still missing, in the order an attendee can act on it; the server's list wins, the parts fill gaps. */
export function missingParts(completion) {
  if (!completion || completion.complete) return [];
  if (Array.isArray(completion.missing)) return COMPLETION_PARTS.filter((part) => completion.missing.includes(part));
  const missing = [];
  if (completion.steps && completion.rules?.allSteps && completion.steps.done < completion.steps.total) missing.push('steps');
  if (completion.quiz?.required && !completion.quiz.passed) missing.push('quiz');
  if (completion.feedback?.required && !completion.feedback.given) missing.push('feedback');
  if (completion.submission?.required && !completion.submission.handedIn) missing.push('submission');
  return missing;
}

/** Rules as the settings form edits them, from whatever a codelab read holds. */
export function completionRules(codelab) {
  return { ...DEFAULT_COMPLETION, ...(codelab?.completion ?? {}) };
}

export function isValidRating(value) {
  return Number.isInteger(value) && value >= 1 && value <= 5;
}

/** Counts 1..5 as bars: share of the largest count, for a distribution drawn without a chart library. */
export function distribution(summary) {
  const counts = [1, 2, 3, 4, 5].map((score) => Number(summary?.[score] ?? summary?.[String(score)] ?? 0));
  const top = Math.max(1, ...counts);
  return counts.map((count, index) => ({ score: index + 1, count, share: count / top }));
}

/**
 * The names a raffle reel shows before it stops on the winner: `length` names from the pool, slowing
 * towards the end, ending with the winner. Deterministic from the pool, so every screen shows the same reel.
 */
export function raffleReel(pool, winner, length = 24) {
  const names = pool.length > 0 ? pool : [winner];
  const reel = [];
  for (let index = 0; index < length - 1; index += 1) reel.push(names[(index * 7 + winner.length) % names.length]);
  reel.push(winner);
  return reel;
}

/** Milliseconds each reel frame stays, easing out so the last names linger. */
export function reelDelays(length, totalMs = 3200) {
  const weights = Array.from({ length }, (_, index) => 1 + (index / Math.max(1, length - 1)) ** 3 * 8);
  const sum = weights.reduce((a, b) => a + b, 0);
  return weights.map((weight) => Math.round((weight / sum) * totalMs));
}
