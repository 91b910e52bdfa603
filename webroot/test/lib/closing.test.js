import { describe, expect, it } from 'vitest';
import {
  quizzesAt, blankAnswers, attemptAnswers, canAttempt, afterAttempt, revealedAnswer, revealedChoices,
  missingParts, completionRules, distribution, raffleReel, reelDelays
} from '../../src/lib/closing.js';

const quiz = {
  id: 'q1', attempts: 2, questions: [
    { id: 'one', kind: 'single', choices: [{ id: 'a', text: 'Alpha' }, { id: 'b', text: 'Beta' }] },
    { id: 'many', kind: 'multiple', choices: [{ id: 'x', text: 'X' }, { id: 'y', text: 'Y' }] },
    { id: 'word', kind: 'short' },
    { id: 'essay', kind: 'free' }
  ]
};

describe('quiz placement', () => {
  it('shows a checkpoint after its step, and end-of-codelab quizzes on the last step only', () => {
    const quizzes = [{ id: 'mid', step: 1 }, { id: 'end', step: null }, { id: 'late', step: 9 }];
    expect(quizzesAt(quizzes, 0, 3).map((q) => q.id)).toEqual([]);
    expect(quizzesAt(quizzes, 1, 3).map((q) => q.id)).toEqual(['mid']);
    expect(quizzesAt(quizzes, 2, 3).map((q) => q.id)).toEqual(['end', 'late']);
  });
});

describe('answers', () => {
  it('start blank: choice lists and texts', () => {
    expect(blankAnswers(quiz)).toEqual({ one: [], many: [], word: '', essay: '' });
  });

  it('send only what was answered, one choice for single, trimmed text', () => {
    const sheet = { one: ['b', 'a'], many: ['x', 'y'], word: '  Future ', essay: '   ' };
    expect(attemptAnswers(quiz, sheet)).toEqual({ one: ['b'], many: ['x', 'y'], word: 'Future' });
  });

  it('count attempts from the server, with 0 meaning unlimited', () => {
    expect(canAttempt({ attempts: 2 })).toBe(true);
    expect(canAttempt({ attempts: 2, mine: { attemptsLeft: 0 } })).toBe(false);
    expect(canAttempt({ attempts: 0, mine: { attemptsLeft: null, attemptsUsed: 40 } })).toBe(true);
  });

  it('keep the best percent and a pass once passed, and count down what is left', () => {
    const first = afterAttempt(undefined, { number: 1, percent: 80, passed: true }, quiz);
    expect(first).toEqual({ attemptsUsed: 1, attemptsLeft: 1, bestPercent: 80, lastPercent: 80, passed: true });
    expect(afterAttempt(first, { number: 2, percent: 40, passed: false }, quiz))
      .toEqual({ attemptsUsed: 2, attemptsLeft: 0, bestPercent: 80, lastPercent: 40, passed: true });
  });

  it('show revealed answers by their choice text, and nothing when the server revealed none', () => {
    const revealed = { one: ['b'], many: ['x', 'y'], word: ['future', 'a future'] };
    expect(revealedAnswer(quiz.questions[0], revealed)).toBe('Beta');
    expect(revealedAnswer(quiz.questions[1], revealed)).toBe('X, Y');
    expect(revealedAnswer(quiz.questions[2], revealed)).toBe('future / a future');
    expect(revealedAnswer(quiz.questions[3], revealed)).toBeNull();
    expect(revealedAnswer(quiz.questions[0], undefined)).toBeNull();
    expect([...revealedChoices(quiz.questions[1], revealed)]).toEqual(['x', 'y']);
    expect(revealedChoices(quiz.questions[2], revealed).size).toBe(0);
  });
});

describe('completion', () => {
  it('lists what is missing in a fixed order, nothing once complete', () => {
    expect(missingParts({ complete: false, missing: ['feedback', 'steps'] })).toEqual(['steps', 'feedback']);
    expect(missingParts({ complete: true, missing: [] })).toEqual([]);
    expect(missingParts(null)).toEqual([]);
  });

  it('works the missing parts out from the details when the list is absent', () => {
    expect(missingParts({
      complete: false, rules: { allSteps: true }, steps: { done: 2, total: 3 },
      quiz: { required: true, passed: false }, feedback: { required: false, given: false }, submission: { required: true, handedIn: true }
    })).toEqual(['steps', 'quiz']);
  });

  it('fills rules a codelab does not carry with the defaults', () => {
    expect(completionRules({ completion: { quiz: true, passMark: 50 } }))
      .toEqual({ allSteps: true, quiz: true, passMark: 50, feedback: false, submission: false });
    expect(completionRules({}).passMark).toBe(70);
  });
});

describe('charts and raffle', () => {
  it('draws a 1-5 distribution as shares of the largest count', () => {
    expect(distribution({ 1: 0, 2: 1, 3: 4, 4: 2, mean: 3.1 }).map((bar) => [bar.score, bar.count, bar.share]))
      .toEqual([[1, 0, 0], [2, 1, 0.25], [3, 4, 1], [4, 2, 0.5], [5, 0, 0]]);
  });

  it('spins a reel that ends on the winner and is the same on every screen', () => {
    const reel = raffleReel(['ann', 'bob', 'cy'], 'bob', 10);
    expect(reel).toHaveLength(10);
    expect(reel.at(-1)).toBe('bob');
    expect(raffleReel(['ann', 'bob', 'cy'], 'bob', 10)).toEqual(reel);
    expect(raffleReel([], 'solo', 3)).toEqual(['solo', 'solo', 'solo']);
  });

  it('slows the reel down towards the winner', () => {
    const delays = reelDelays(12, 3000);
    expect(delays.at(-1)).toBeGreaterThan(delays[0] * 4);
    expect(Math.abs(delays.reduce((a, b) => a + b, 0) - 3000)).toBeLessThan(12);
  });
});
