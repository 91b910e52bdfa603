// Generated from io.codelabs.bus.Address and io.codelabs.bus.EventType; CatalogueModuleTest checks it.
// Change the enums, then copy verticles/target/catalogue.js here.

/** The bus addresses browsers send to or register for; templated ones take their placeholders in order. */
export const Address = Object.freeze({
  EVENTS_SINCE: 'codelab.events.replay',
  PROGRESS_REPORT: 'codelab.progress.report',
  HELP_REQUEST: 'codelab.help.request',
  HELP_CLAIM: 'codelab.help.claim',
  HELP_RESOLVE: 'codelab.help.resolve',
  CHAT_SEND: 'codelab.chat.send',
  ANNOUNCEMENT_POST: 'codelab.announcement.post',
  ANNOUNCEMENT_PIN: 'codelab.announcement.pin',
  QUIZ_SUBMIT: 'persistence.quiz.submit',
  FEEDBACK_GIVE: 'persistence.feedback.give',
  PUBLIC_EVENTS: (codelabId) => `codelab.public.${codelabId}`,
  FACILITATOR_EVENTS: (codelabId) => `codelab.facilitators.${codelabId}`,
  DASHBOARD_EVENTS: (codelabId) => `codelab.dashboard.${codelabId}`,
  INBOX_EVENTS: (codelabId, attendeeId) => `codelab.inbox.${codelabId}.${attendeeId}`,
});

/** The type of every event in a codelab's log. */
export const EventType = Object.freeze({
  CODELAB_UPDATED: 'codelab.updated',
  ATTENDEE_JOINED: 'attendee.joined',
  ATTENDEE_STEP_CHANGED: 'attendee.step-changed',
  ATTENDEE_STEP_COMPLETED: 'attendee.step-completed',
  ATTENDEE_COMPLETED: 'attendee.completed',
  COMPLETION_REACHED: 'completion.reached',
  CERTIFICATE_ISSUED: 'certificate.issued',
  CERTIFICATE_REVOKED: 'certificate.revoked',
  RAFFLE_DRAWN: 'raffle.drawn',
  ATTENDEE_ONLINE: 'attendee.online',
  ATTENDEE_OFFLINE: 'attendee.offline',
  HELP_REQUESTED: 'help.requested',
  HELP_CLAIMED: 'help.claimed',
  HELP_RESOLVED: 'help.resolved',
  CHAT_POSTED: 'chat.posted',
  ANNOUNCEMENT_POSTED: 'announcement.posted',
  ANNOUNCEMENT_PINNED: 'announcement.pinned',
  ANNOUNCEMENT_UNPINNED: 'announcement.unpinned',
  SUBMISSION_ADDED: 'submission.added',
  SUBMISSION_DELETED: 'submission.deleted',
  MATERIAL_ADDED: 'material.added',
  MATERIAL_REMOVED: 'material.removed',
  QUIZZES_UPDATED: 'quizzes.updated',
  QUIZ_SUBMITTED: 'quiz.submitted',
  QUIZ_GRADED: 'quiz.graded',
  FEEDBACK_GIVEN: 'feedback.given',
  UPLOAD_REJECTED: 'upload.rejected',
});
