import { describe, expect, it } from 'vitest';
import {
  newQuiz, newQuestion, newChoice, changeKind, fromServer, toPayload, problemIn, move, followStepMove, followStepDelete,
  followStepRestore
} from '../../src/facilitator/quizDraft.js';

function quizWith(...questions) {
  const quiz = newQuiz('Check');
  quiz.questions.push(...questions);
  return quiz;
}

function single(prompt, texts, correctIndex) {
  const question = newQuestion('single');
  question.prompt = prompt;
  question.choices = texts.map((text) => newChoice(text));
  question.correct = correctIndex === null ? [] : [question.choices[correctIndex].id];
  return question;
}

describe('quiz drafts', () => {
  it('give new choices ids at once, so correct answers can name them before saving', () => {
    const question = newQuestion('multiple');
    expect(question.choices).toHaveLength(2);
    expect(question.choices[0].id).toMatch(/^c-/);
    expect(question.choices[0].id).not.toBe(question.choices[1].id);
  });

  it('send only the fields of each kind, keep known ids and drop correct answers that name removed choices', () => {
    const choice = single('Which?', ['yes', 'no'], 0);
    const removed = choice.choices[1].id;
    choice.correct.push(removed);
    choice.choices.pop();
    const short = Object.assign(newQuestion('short'), { prompt: 'Name it', accepted: [' Future ', ' '] });
    const free = Object.assign(newQuestion('free'), { prompt: 'Tell us' });
    const quiz = Object.assign(quizWith(choice, short, free), { id: 'quiz-1', step: '2', attempts: '3' });

    const [sent] = toPayload([quiz]).quizzes;
    expect(sent).toMatchObject({ id: 'quiz-1', title: 'Check', step: 2, attempts: 3, scoring: 'best', reveal: 'after-submit' });
    expect(sent.questions[0]).toEqual({ kind: 'single', prompt: 'Which?', points: 1,
      choices: [{ id: choice.choices[0].id, text: 'yes' }], correct: [choice.choices[0].id] });
    expect(sent.questions[1]).toEqual({ kind: 'short', prompt: 'Name it', points: 1, accepted: ['Future'] });
    expect(sent.questions[2]).toEqual({ kind: 'free', prompt: 'Tell us' });
    expect(JSON.stringify(sent)).not.toContain('"key"');
  });

  it('read what the server holds and write it back unchanged', () => {
    const server = [{ id: 'q', title: 'End', step: null, attempts: 0, scoring: 'last', reveal: 'never', questions: [
      { id: 'a', kind: 'multiple', prompt: 'Pick', points: 2, choices: [{ id: 'x', text: 'X' }, { id: 'y', text: 'Y' }], correct: ['x', 'y'] }
    ] }];
    expect(toPayload(fromServer(server)).quizzes).toEqual([{ ...server[0], questions: [{ ...server[0].questions[0] }] }]);
  });

  it('name the first problem the server would refuse', () => {
    expect(problemIn(quizWith(single('Which?', ['yes', 'no'], 0)))).toBeNull();
    expect(problemIn(quizWith(single('', ['yes', 'no'], 0)))).toEqual({ key: 'prompt', n: 1 });
    expect(problemIn(quizWith(single('ok', ['yes', 'no'], 0), single('Which?', ['yes', 'no'], null)))).toEqual({ key: 'single', n: 2 });
    expect(problemIn(quizWith(single('Which?', ['yes', ''], 0)))).toEqual({ key: 'choices', n: 1 });
    const multiple = Object.assign(newQuestion('multiple'), { prompt: 'Pick' });
    multiple.choices.forEach((choice, i) => (choice.text = `c${i}`));
    expect(problemIn(quizWith(multiple))).toEqual({ key: 'multiple', n: 1 });
    expect(problemIn(quizWith(Object.assign(newQuestion('short'), { prompt: 'Say' })))).toEqual({ key: 'accepted', n: 1 });
    expect(problemIn(Object.assign(quizWith(), { attempts: 11 }))).toEqual({ key: 'attempts' });
    expect(problemIn(quizWith())).toEqual({ key: 'empty' });
    expect(problemIn(Object.assign(quizWith(single('Which?', ['yes', 'no'], 0)), { title: ' ' }))).toEqual({ key: 'title' });
  });

  it('keep what fits when a question changes kind', () => {
    const question = single('Which?', ['a', 'b', 'c'], 0);
    question.correct.push(question.choices[2].id);
    changeKind(question, 'multiple');
    expect(question.correct).toHaveLength(2);
    changeKind(question, 'single');
    expect(question.correct).toEqual([question.choices[0].id]);
    changeKind(question, 'free');
    expect(question).toMatchObject({ correct: [], points: 0 });
    changeKind(question, 'short');
    expect(question).toMatchObject({ accepted: [''], points: 1 });
  });

  it('reorder in place and ignore moves off either end', () => {
    const list = ['a', 'b', 'c'];
    move(list, 0, -1);
    move(list, 2, 1);
    expect(list).toEqual(['a', 'b', 'c']);
    move(list, 0, 1);
    move(list, 2, -1);
    expect(list).toEqual(['b', 'c', 'a']);
  });
});

describe('checkpoints following their steps', () => {
  const atSteps = (...steps) => steps.map((step) => ({ ...newQuiz(`after ${step}`), step }));

  it('move with their step when it is moved up or down, and the steps in between shift', () => {
    const quizzes = atSteps(0, 1, 2, 3, null);
    followStepMove(quizzes, 1, 3);
    expect(quizzes.map((quiz) => quiz.step)).toEqual([0, 3, 1, 2, null]);
    followStepMove(quizzes, 3, 0);
    expect(quizzes.map((quiz) => quiz.step)).toEqual([1, 0, 2, 3, null]);
  });

  it('go to the end when their step is deleted, and come back with it on undo', () => {
    const quizzes = atSteps(0, 2, 3, '');
    const orphaned = followStepDelete(quizzes, 2);
    expect(quizzes.map((quiz) => quiz.step)).toEqual([0, null, 2, '']);
    expect(orphaned).toEqual([quizzes[1].key]);
    followStepRestore(quizzes, 2, orphaned);
    expect(quizzes.map((quiz) => quiz.step)).toEqual([0, 2, 3, '']);
  });
});
