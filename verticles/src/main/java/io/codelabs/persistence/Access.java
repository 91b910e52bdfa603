package io.codelabs.persistence;

import io.codelabs.bus.Actor;
import io.codelabs.bus.ErrorCode;

/** What an actor may do in one codelab, derived from membership or attendance. */
enum Access {
  NONE, ATTENDEE, ASSISTANT, OWNER;

  /** Params: facilitator id, attendee id, codelab id. No row: the codelab does not exist. */
  static final String SQL = """
    SELECT COALESCE(m.role, CASE WHEN a.id IS NOT NULL THEN 'attendee' END) AS role
    FROM codelabs c
    LEFT JOIN codelab_members m ON m.codelab_id = c.id AND m.facilitator_id = ?
    LEFT JOIN attendees a ON a.codelab_id = c.id AND a.id = ?
    WHERE c.id = ?""";

  static Object[] params(Actor actor, String codelabId) {
    if (actor == null) {
      return new Object[] {null, null, codelabId};
    }
    return actor.isFacilitator()
      ? new Object[] {actor.id(), null, codelabId}
      : new Object[] {null, actor.id(), codelabId};
  }

  static Access of(String role) {
    return role == null ? NONE : valueOf(role.toUpperCase());
  }

  boolean isFacilitator() {
    return this == OWNER || this == ASSISTANT;
  }

  Access requireFacilitator() {
    if (!isFacilitator()) {
      throw ErrorCode.FORBIDDEN.failure("Only this codelab's facilitators may do that");
    }
    return this;
  }

  Access requireOwner() {
    if (this != OWNER) {
      throw ErrorCode.FORBIDDEN.failure("Only the codelab's owner may do that");
    }
    return this;
  }

  Access requireAttendee() {
    if (this != ATTENDEE) {
      throw ErrorCode.FORBIDDEN.failure("Only attendees of this codelab may do that");
    }
    return this;
  }

  Access requireParticipant() {
    if (this == NONE) {
      throw ErrorCode.FORBIDDEN.failure("You are not part of this codelab");
    }
    return this;
  }
}
