/** A pulse poll's tally as shares of the answers given: { yes, notYet, answered, yesPercent, notYetPercent }. */
export function tallyOf(poll) {
  const yes = poll?.tally?.yes ?? 0;
  const notYet = poll?.tally?.notYet ?? 0;
  const answered = yes + notYet;
  const yesPercent = answered ? Math.round((yes / answered) * 100) : 0;
  return { yes, notYet, answered, yesPercent, notYetPercent: answered ? 100 - yesPercent : 0 };
}

/**
 * The poll after one answer event. Answers are kept per attendee, so a changed answer moves from
 * one side to the other and the tally the server sent wins when it is present.
 */
export function withAnswer(poll, { pollId, attendeeId, nickname, answer, tally }) {
  if (!poll || poll.id !== pollId) return poll;
  const answers = [...(poll.answers ?? []).filter((a) => a.attendeeId !== attendeeId), { attendeeId, nickname, answer }];
  const counted = {
    yes: answers.filter((a) => a.answer === 'yes').length,
    notYet: answers.filter((a) => a.answer === 'not-yet').length
  };
  return { ...poll, answers, tally: tally ?? counted };
}
