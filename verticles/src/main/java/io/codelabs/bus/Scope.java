package io.codelabs.bus;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * What an API key may do for its facilitator. Signed-in facilitators' tokens carry no scopes: they
 * may do whatever their role may. No scope ever covers account, key, codelab-content or webhook management.
 */
public enum Scope {
  /** Receive a codelab's event streams and dashboard, replay them, and read its live state (help, pacing, chat). */
  EVENTS_READ("events:read"),
  /** The facilitator commands of a running codelab: announcements, pacing, polls, help triage, chat. */
  COMMANDS_WRITE("commands:write"),
  /** A codelab's results (also as CSV) and its submissions list. */
  RESULTS_READ("results:read");

  /** Reads a key may make with {@link #EVENTS_READ}, besides the events and queries of the bridge. */
  private static final Set<Address> LIVE_STATE = EnumSet.of(Address.CODELAB_GET, Address.ATTENDEE_LIST,
    Address.HELP_LIST, Address.PACING_GET, Address.CHAT_HISTORY, Address.ANNOUNCEMENT_LIST);
  private static final Set<Address> RESULTS = EnumSet.of(Address.RESULTS_GET, Address.SUBMISSION_LIST);

  public final String wire;

  Scope(String wire) {
    this.wire = wire;
  }

  public static Optional<Scope> of(String wire) {
    return Arrays.stream(values()).filter(scope -> scope.wire.equals(wire)).findFirst();
  }

  /**
   * The scope a key needs for an address, derived from the catalogue: a facilitator's commands need
   * {@link #COMMANDS_WRITE}, its event streams and queries {@link #EVENTS_READ}. Empty when no key may use it.
   */
  public static Optional<Scope> needed(Address address) {
    if (RESULTS.contains(address)) {
      return Optional.of(RESULTS_READ);
    }
    if (LIVE_STATE.contains(address)) {
      return Optional.of(EVENTS_READ);
    }
    if (!address.users.contains(Address.Role.FACILITATOR)) {
      return Optional.empty();
    }
    return Optional.of(address.kind == Address.Kind.COMMAND ? COMMANDS_WRITE : EVENTS_READ);
  }
}
