import { describe, expect, it } from 'vitest';
import { tallyOf, withAnswer } from '../../src/pacing/tally.js';

describe('a pulse poll tally', () => {
  it('counts shares of the answers given, and nothing when there is no poll', () => {
    expect(tallyOf({ tally: { yes: 3, notYet: 1 } })).toEqual({ yes: 3, notYet: 1, answered: 4, yesPercent: 75, notYetPercent: 25 });
    expect(tallyOf(null)).toEqual({ yes: 0, notYet: 0, answered: 0, yesPercent: 0, notYetPercent: 0 });
  });

  it('keeps one answer per attendee: a changed answer moves sides', () => {
    let poll = { id: 'p1', answers: [] };
    poll = withAnswer(poll, { pollId: 'p1', attendeeId: 'a1', nickname: 'neo', answer: 'not-yet' });
    poll = withAnswer(poll, { pollId: 'p1', attendeeId: 'a2', nickname: 'ada', answer: 'yes' });
    poll = withAnswer(poll, { pollId: 'p1', attendeeId: 'a1', nickname: 'neo', answer: 'yes' });
    expect(poll.tally).toEqual({ yes: 2, notYet: 0 });
    expect(poll.answers.map((a) => a.attendeeId).sort()).toEqual(['a1', 'a2']);
  });

  it("takes the server's tally when the event carries one, and ignores answers to another poll", () => {
    const poll = { id: 'p1', answers: [] };
    expect(withAnswer(poll, { pollId: 'p1', attendeeId: 'a1', answer: 'yes', tally: { yes: 40, notYet: 2 } }).tally)
      .toEqual({ yes: 40, notYet: 2 });
    expect(withAnswer(poll, { pollId: 'p0', attendeeId: 'a1', answer: 'yes' })).toBe(poll);
  });
});
