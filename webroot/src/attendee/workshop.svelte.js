import { get, post, del, upload, eventId } from '../lib/api.js';
import { openRealtime } from '../lib/realtime.svelte.js';
import { Address, EventType } from '../lib/catalogue.js';
import { attendeeClosing } from './closing.svelte.js';
import { attendeePacing } from '../pacing/attendeePacing.svelte.js';

const AS_ATTENDEE = { as: 'attendee' };
const CHAT_HISTORY = 200;

/**
 * One attendee in one codelab: the steps and where they are, their help request, chat and
 * announcements, hand-ins and the codelab's materials; loaded from REST, kept live by the realtime stream, written through its outbox.
 */
export function joinWorkshop(codelabId, me, { startAt = null } = {}) {
  const workshop = $state({
    codelab: null,
    current: startAt ?? 0,
    completed: [],
    help: null,
    messages: [],
    announcements: [],
    submissions: [],
    materials: [],
    updatedStep: null,
    error: null
  });
  // A step address opened directly wins over where the server last saw the attendee.
  let placed = startAt !== null;
  let loaded = false;
  const base = `/api/codelabs/${encodeURIComponent(codelabId)}`;
  const closing = attendeeClosing(base, me);

  const realtime = openRealtime({
    as: 'attendee',
    codelabId,
    addresses: [Address.PUBLIC_EVENTS(codelabId), Address.INBOX_EVENTS(codelabId, me.id)],
    onEvent: apply,
    onResync: reload
  });
  const pacing = attendeePacing(base, (address, body) => realtime.send(address, body), (step) => moveTo(step));

  reload().catch((error) => {
    workshop.error = error;
  });

  async function reload() {
    closing.reload().catch(() => {});
    pacing.reload().catch(() => {});
    const [codelab, help, chat, announcements, submissions, materials] = await Promise.all([
      get(base, AS_ATTENDEE),
      get(`${base}/help`, AS_ATTENDEE),
      get(`${base}/chat?limit=${CHAT_HISTORY}`, AS_ATTENDEE),
      get(`${base}/announcements`, AS_ATTENDEE),
      get(`${base}/submissions`, AS_ATTENDEE),
      get(`${base}/materials`, AS_ATTENDEE)
    ]);
    workshop.codelab = codelab;
    if (codelab.progress) {
      if (!placed) workshop.current = codelab.progress.currentStep;
      workshop.completed = union(workshop.completed, codelab.progress.completedSteps);
    }
    placed = true;
    clampCurrent();
    if (!loaded && startAt !== null && codelab.progress?.currentStep !== workshop.current) report({ step: workshop.current });
    loaded = true;
    workshop.help = help.help[0] ?? null;
    workshop.messages = [...chat.messages.map(fromServer), ...workshop.messages.filter((m) => m.pending)];
    workshop.announcements = announcements.announcements;
    workshop.submissions = submissions.submissions;
    workshop.materials = materials.materials;
  }

  /** The reply to a hand-in and its event both arrive; whichever comes second changes nothing. */
  function submitted(submission) {
    if (!workshop.submissions.some((s) => s.id === submission.id)) workshop.submissions = [submission, ...workshop.submissions];
  }

  function withdrawn(id) {
    workshop.submissions = workshop.submissions.filter((s) => s.id !== id);
  }

  function apply(event) {
    if (closing.apply(event) || pacing.apply(event)) return;
    const { data } = event;
    switch (event.type) {
      case EventType.CHAT_POSTED:
        return received(data.message, event.eventId);
      case EventType.HELP_REQUESTED:
      case EventType.HELP_CLAIMED:
      case EventType.HELP_RESOLVED:
      case EventType.HELP_CANCELLED:
      case EventType.HELP_ASSIGNED:
        workshop.help = data.help;
        return;
      case EventType.ANNOUNCEMENT_POSTED:
        if (!workshop.announcements.some((a) => a.id === data.announcement.id)) {
          workshop.announcements = [...workshop.announcements, data.announcement];
        }
        return;
      case EventType.ANNOUNCEMENT_PINNED:
      case EventType.ANNOUNCEMENT_UNPINNED:
        workshop.announcements = workshop.announcements.map((a) => (a.id === data.announcement.id ? data.announcement : a));
        return;
      case EventType.SUBMISSION_ADDED:
        closing.reloadCompletion().catch(() => {});
        return submitted(data.submission);
      case EventType.SUBMISSION_DELETED:
        return withdrawn(data.submissionId);
      case EventType.MATERIAL_ADDED:
        if (!workshop.materials.some((m) => m.id === data.material.id)) workshop.materials = [...workshop.materials, data.material];
        return;
      case EventType.MATERIAL_REMOVED:
        workshop.materials = workshop.materials.filter((m) => m.id !== data.materialId);
        return;
      case EventType.CODELAB_UPDATED:
        // A failed fetch is made good by the reload that follows the next reconnect.
        return data.stepsChanged ? stepsChanged(data).catch(() => {}) : Object.assign(workshop.codelab ?? {}, settings(data));
    }
  }

  /**
   * The attendee stays on the step it was reading wherever the step moved, and its completions, known issues and the
   * hold follow their steps as the server moved them, so they are read again too.
   */
  async function stepsChanged(data) {
    pacing.reload().catch(() => {});
    const reading = workshop.codelab?.steps?.[workshop.current]?.id;
    const codelab = await get(base, AS_ATTENDEE);
    workshop.codelab = codelab;
    const moved = reading === undefined ? -1 : codelab.steps.findIndex((step) => step.id === reading);
    if (moved >= 0) workshop.current = moved;
    if (codelab.progress) workshop.completed = codelab.progress.completedSteps;
    clampCurrent();
    const edited = data.position ?? null;
    if (edited === null || edited === workshop.current) workshop.updatedStep = workshop.current;
  }

  function settings({ title, summary, author }) {
    return Object.fromEntries(Object.entries({ title, summary, author }).filter(([, value]) => value !== undefined));
  }

  function clampCurrent() {
    const count = workshop.codelab?.steps?.length ?? 0;
    workshop.current = Math.max(0, Math.min(workshop.current, count - 1));
  }

  function received(message, key) {
    const local = key && workshop.messages.find((m) => m.eventId === key);
    if (local) {
      Object.assign(local, fromServer(message), { pending: false });
      dropDuplicates(message.id);
    } else if (!workshop.messages.some((m) => m.id === message.id)) {
      workshop.messages.push(fromServer(message));
    }
  }

  function dropDuplicates(id) {
    const first = workshop.messages.findIndex((m) => m.id === id);
    workshop.messages = workshop.messages.filter((m, index) => m.id !== id || index === first);
  }

  function report(body) {
    realtime.send(Address.PROGRESS_REPORT, { eventId: eventId('p'), ...body }).then((reply) => {
      workshop.completed = union(workshop.completed, reply.completedSteps);
      if (body.completed) closing.reloadCompletion().catch(() => {});
    }, () => {});
  }

  /** Moves to a step, never past a hold; moving on to the next one marks the one left as completed. */
  function moveTo(step) {
    const from = workshop.current;
    if (step === from || step < 0 || step >= (workshop.codelab?.steps?.length ?? 0) || pacing.blocked(step)) return;
    workshop.current = step;
    workshop.updatedStep = null;
    if (step === from + 1) {
      workshop.completed = union(workshop.completed, [from]);
      report({ step: from, completed: true });
    }
    report({ step });
  }

  return {
    workshop,
    pacing: pacing.pacing,
    answerPoll: pacing.answer,
    closing: closing.closing,
    connection: realtime.status,
    submitQuiz: closing.submitQuiz,
    giveFeedback: closing.giveFeedback,
    claimCertificate: closing.claimCertificate,

    goTo: moveTo,

    finish() {
      workshop.completed = union(workshop.completed, [workshop.current]);
      report({ step: workshop.current, completed: true });
    },

    askForHelp(message) {
      const step = workshop.current;
      workshop.help = { status: 'sending', step, message };
      return realtime.send(Address.HELP_REQUEST, { eventId: eventId('h'), step, message }).then((reply) => {
        if (workshop.help?.status === 'sending') workshop.help = reply.help;
      }, (error) => {
        workshop.help = { status: 'failed', step, reason: error.message };
      });
    },

    cancelHelp() {
      const help = workshop.help;
      if (!help?.id) return Promise.resolve();
      return realtime.send(Address.HELP_CANCEL, { helpId: help.id }).then((reply) => {
        workshop.help = reply.help;
      }, () => {});
    },

    /** Shows the message at once as pending; the outbox sends it once, however often the socket drops. */
    say(text, direct) {
      const key = eventId('c');
      workshop.messages.push({ eventId: key, text, direct, senderRole: 'attendee', senderId: me.id,
        senderName: me.name, at: Date.now(), pending: true });
      realtime.send(Address.CHAT_SEND, { eventId: key, text, direct }).then((reply) => {
        received(reply.message, key);
      }, () => {
        const local = workshop.messages.find((m) => m.eventId === key);
        if (local) Object.assign(local, { pending: false, failed: true });
      });
    },

    /** Hands in a file; onProgress(fraction) while it is sent. Rejects with the ApiError. */
    async handInFile(file, title, onProgress) {
      const form = new FormData();
      form.append('file', file);
      if (title) form.append('title', title);
      submitted((await upload(`${base}/submissions/files`, form, { ...AS_ATTENDEE, onProgress })).submission);
    },

    async handInLink(url, title) {
      submitted((await post(`${base}/submissions`, title ? { url, title } : { url }, AS_ATTENDEE)).submission);
    },

    async withdraw(submissionId) {
      await del(`${base}/submissions/${encodeURIComponent(submissionId)}`, AS_ATTENDEE);
      withdrawn(submissionId);
    },

    close: () => realtime.close()
  };
}

function fromServer(message) {
  return { ...message, direct: Boolean(message.direct), pending: false };
}

function union(a, b) {
  return [...new Set([...a, ...b])].sort((x, y) => x - y);
}
