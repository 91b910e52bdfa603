import { isChoice } from '../lib/closing.js';

/**
 * Quizzes as the editor holds them: every quiz, question and choice has a local key for keyed lists;
 * choices carry their id from the start, because the correct answers refer to them before the server saw them.
 */
let nextKey = 0;
const key = () => `k${nextKey++}`;
const choiceId = () => `c-${crypto.randomUUID().slice(0, 8)}`;

export const LIMITS = Object.freeze({ maxAttempts: 10, maxQuestions: 50, maxChoices: 10 });

export function newQuiz(title) {
  return { key: key(), title, step: null, attempts: 1, scoring: 'best', reveal: 'after-submit', questions: [] };
}

export function newQuestion(kind) {
  const question = { key: key(), kind, prompt: '', points: kind === 'free' ? 0 : 1, choices: [], correct: [], accepted: [] };
  if (isChoice(kind)) question.choices = [newChoice(), newChoice()];
  if (kind === 'short') question.accepted = [''];
  return question;
}

export function newChoice(text = '') {
  return { key: key(), id: choiceId(), text };
}

/** Changing a question's kind keeps what still fits: choices between single and multiple, one correct for single. */
export function changeKind(question, kind) {
  question.kind = kind;
  if (isChoice(kind) && question.choices.length === 0) question.choices = [newChoice(), newChoice()];
  if (kind === 'single') question.correct = question.correct.slice(0, 1);
  if (!isChoice(kind)) question.correct = [];
  if (kind === 'short' && question.accepted.length === 0) question.accepted = [''];
  question.points = kind === 'free' ? 0 : Math.max(1, question.points);
}

export function fromServer(quizzes) {
  return quizzes.map((quiz) => ({
    key: key(),
    id: quiz.id,
    title: quiz.title ?? '',
    step: quiz.step ?? null,
    attempts: quiz.attempts ?? 1,
    scoring: quiz.scoring ?? 'best',
    reveal: quiz.reveal ?? 'after-submit',
    questions: (quiz.questions ?? []).map((question) => ({
      key: key(),
      id: question.id,
      kind: question.kind,
      prompt: question.prompt ?? '',
      points: question.points ?? 1,
      choices: (question.choices ?? []).map((choice) => ({ key: key(), id: choice.id, text: choice.text })),
      correct: [...(question.correct ?? [])],
      accepted: [...(question.accepted ?? [])]
    }))
  }));
}

/** The PUT body: local keys dropped, ids kept where they exist, only the fields of the question's kind. */
export function toPayload(drafts) {
  return {
    quizzes: drafts.map((quiz) => ({
      ...(quiz.id ? { id: quiz.id } : {}),
      title: quiz.title.trim(),
      step: quiz.step === null || quiz.step === '' ? null : Number(quiz.step),
      attempts: Number(quiz.attempts),
      scoring: quiz.scoring,
      reveal: quiz.reveal,
      questions: quiz.questions.map((question) => {
        const body = { ...(question.id ? { id: question.id } : {}), kind: question.kind, prompt: question.prompt };
        if (question.kind !== 'free') body.points = Number(question.points) || 1;
        if (isChoice(question.kind)) {
          body.choices = question.choices.map(({ id, text }) => ({ id, text: text.trim() }));
          const ids = new Set(body.choices.map((choice) => choice.id));
          body.correct = question.correct.filter((id) => ids.has(id));
        }
        if (question.kind === 'short') body.accepted = question.accepted.map((text) => text.trim()).filter(Boolean);
        return body;
      })
    }))
  };
}

/** The first thing the server would refuse in a quiz, as a message key with its parameters; null when it is fine. */
export function problemIn(quiz) {
  if (quiz.title.trim() === '') return { key: 'title' };
  if (!(Number(quiz.attempts) >= 0 && Number(quiz.attempts) <= LIMITS.maxAttempts)) return { key: 'attempts' };
  if (quiz.questions.length === 0) return { key: 'empty' };
  for (const [index, question] of quiz.questions.entries()) {
    const n = index + 1;
    if (question.prompt.trim() === '') return { key: 'prompt', n };
    if (isChoice(question.kind)) {
      if (question.choices.length < 2 || question.choices.some((choice) => choice.text.trim() === '')) return { key: 'choices', n };
      const correct = question.correct.filter((id) => question.choices.some((choice) => choice.id === id)).length;
      if (question.kind === 'single' && correct !== 1) return { key: 'single', n };
      if (question.kind === 'multiple' && correct < 1) return { key: 'multiple', n };
    }
    if (question.kind === 'short' && !question.accepted.some((text) => text.trim() !== '')) return { key: 'accepted', n };
  }
  return null;
}

/** Moves an item one place up (-1) or down (+1) in place; out-of-range moves do nothing. */
export function move(list, index, delta) {
  const to = index + delta;
  if (to < 0 || to >= list.length) return;
  const [item] = list.splice(index, 1);
  list.splice(to, 0, item);
}

/** A checkpoint names its step by position, so it moves with its step when the step list is reordered. */
export function followStepMove(quizzes, from, to) {
  for (const quiz of checkpoints(quizzes)) {
    const step = Number(quiz.step);
    if (step === from) quiz.step = to;
    else if (from < to && step > from && step <= to) quiz.step = step - 1;
    else if (from > to && step >= to && step < from) quiz.step = step + 1;
  }
}

/** A deleted step's checkpoints go to the end of the codelab; answers their keys so undo can put them back. */
export function followStepDelete(quizzes, index) {
  const orphaned = [];
  for (const quiz of checkpoints(quizzes)) {
    const step = Number(quiz.step);
    if (step === index) {
      quiz.step = null;
      orphaned.push(quiz.key);
    } else if (step > index) quiz.step = step - 1;
  }
  return orphaned;
}

export function followStepRestore(quizzes, index, orphaned) {
  for (const quiz of checkpoints(quizzes)) {
    if (Number(quiz.step) >= index) quiz.step = Number(quiz.step) + 1;
  }
  for (const quiz of quizzes) {
    if (orphaned.includes(quiz.key) && (quiz.step === null || quiz.step === '')) quiz.step = index;
  }
}

function checkpoints(quizzes) {
  return quizzes.filter((quiz) => quiz.step !== null && quiz.step !== '');
}
