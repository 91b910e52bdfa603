import { get, post, put } from '../lib/api.js';
import { EventType } from '../lib/catalogue.js';
import { withAnswer } from './tally.js';

/**
 * The facilitators' side of pacing: the hold, the known issues per step and the latest pulse poll
 * with every answer; loaded from REST, kept live by the codelab's events, changed through REST.
 */
export function roomPacing(codelabId) {
  const base = `/api/codelabs/${encodeURIComponent(codelabId)}`;
  const pacing = $state({ heldAtStep: null, knownIssues: {}, poll: null, sentTo: null, busy: false, error: null });

  async function reload() {
    try {
      const state = await get(`${base}/pacing`);
      pacing.heldAtStep = state.heldAtStep ?? null;
      pacing.knownIssues = Object.fromEntries(state.knownIssues.map(({ step, text }) => [step, text]));
      pacing.poll = state.poll;
    } catch (failure) {
      pacing.error = failure;
    }
  }

  function onEvent(event) {
    const { data } = event;
    switch (event.type) {
      case EventType.PACING_HELD:
        pacing.heldAtStep = data.step;
        break;
      case EventType.PACING_RELEASED:
        pacing.heldAtStep = null;
        break;
      case EventType.PACING_SENT_TO_STEP:
        pacing.sentTo = data.step;
        break;
      case EventType.POLL_STARTED:
        pacing.poll = { ...data.poll, answers: [] };
        break;
      case EventType.POLL_ANSWERED:
        pacing.poll = withAnswer(pacing.poll, data);
        break;
      case EventType.POLL_CLOSED:
        if (!pacing.poll || pacing.poll.id === data.poll.id) pacing.poll = { ...pacing.poll, ...data.poll };
        break;
      case EventType.KNOWN_ISSUE_SET:
        pacing.knownIssues = { ...pacing.knownIssues, [data.step]: data.text };
        break;
      case EventType.KNOWN_ISSUE_CLEARED: {
        const { [data.step]: _cleared, ...rest } = pacing.knownIssues;
        pacing.knownIssues = rest;
        break;
      }
      case EventType.CODELAB_UPDATED:
        // Known issues and the hold follow their steps when the list is reordered.
        if (data.stepsChanged) reload();
        break;
    }
  }

  /** Runs one change; its event brings the new state to every open dashboard, this one included. */
  async function act(request) {
    pacing.busy = true;
    pacing.error = null;
    try {
      return await request();
    } catch (failure) {
      pacing.error = failure;
      return null;
    } finally {
      pacing.busy = false;
    }
  }

  return {
    pacing,
    reload,
    onEvent,
    hold: (step) => act(() => post(`${base}/pacing/hold`, { step })),
    release: () => act(() => post(`${base}/pacing/release`)),
    sendTo: (step) => act(() => post(`${base}/pacing/send-to-step`, { step })),
    startPoll: (step) => act(() => post(`${base}/polls`, { step })),
    closePoll: () => act(() => post(`${base}/polls/${encodeURIComponent(pacing.poll.id)}/close`)),
    setKnownIssue: (step, text) => act(() => put(`${base}/known-issues`, { step, text }))
  };
}
