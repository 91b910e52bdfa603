import { get } from '../lib/api.js';
import { Address, EventType } from '../lib/catalogue.js';

/**
 * What the facilitator does to the room's pace, as one attendee sees it: the step everyone is held
 * at, the known issue per step and the open pulse poll with this attendee's answer. send(address,
 * body) is the realtime outbox; onSendTo(step) moves the attendee when the facilitator sends everyone.
 */
export function attendeePacing(base, send, onSendTo) {
  const pacing = $state({ heldAtStep: null, knownIssues: {}, poll: null, mine: null, answering: false, error: null });

  async function reload() {
    const state = await get(`${base}/pacing`, { as: 'attendee' });
    pacing.heldAtStep = state.heldAtStep ?? null;
    pacing.knownIssues = Object.fromEntries(state.knownIssues.map(({ step, text }) => [step, text]));
    pacing.poll = state.poll && !state.poll.closedAt ? state.poll : null;
    pacing.mine = pacing.poll ? state.poll.mine ?? null : null;
  }

  /** True when the event was a pacing one. */
  function apply(event) {
    const { data } = event;
    switch (event.type) {
      case EventType.PACING_HELD:
        pacing.heldAtStep = data.step;
        return true;
      case EventType.PACING_RELEASED:
        pacing.heldAtStep = null;
        return true;
      case EventType.PACING_SENT_TO_STEP:
        onSendTo(data.step);
        return true;
      case EventType.POLL_STARTED:
        pacing.poll = data.poll;
        pacing.mine = null;
        return true;
      case EventType.POLL_CLOSED:
        if (pacing.poll?.id === data.poll.id) pacing.poll = null;
        return true;
      case EventType.KNOWN_ISSUE_SET:
        pacing.knownIssues = { ...pacing.knownIssues, [data.step]: data.text };
        return true;
      case EventType.KNOWN_ISSUE_CLEARED: {
        const { [data.step]: _cleared, ...rest } = pacing.knownIssues;
        pacing.knownIssues = rest;
        return true;
      }
    }
    return false;
  }

  /** Whether moving to a step would pass the hold. */
  function blocked(step) {
    return pacing.heldAtStep !== null && step > pacing.heldAtStep;
  }

  async function answer(choice) {
    const poll = pacing.poll;
    if (!poll) return;
    const previous = pacing.mine;
    pacing.mine = choice;
    pacing.answering = true;
    pacing.error = null;
    try {
      await send(Address.POLL_ANSWER, { pollId: poll.id, answer: choice });
    } catch (failure) {
      pacing.mine = previous;
      pacing.error = failure;
    } finally {
      pacing.answering = false;
    }
  }

  return { pacing, reload, apply, blocked, answer };
}
