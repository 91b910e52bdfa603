package io.codelabs.bus;

import java.util.Arrays;

/**
 * What a failed-attempt counter is kept for, as {@code persistence.attempts.*} bodies name it.
 * A personal scope belongs to one account or attendee: a success forgets its failures. A shared
 * scope (a source address, possibly a venue's NAT) only takes the successful attempt back.
 */
public enum AttemptScope {
  SIGN_IN_ACCOUNT("sign-in.account", true),
  SIGN_IN_SOURCE("sign-in.source", false),
  REJOIN_NICKNAME("rejoin.nickname", true),
  REJOIN_SOURCE("rejoin.source", false);

  public final String wire;
  public final boolean personal;

  AttemptScope(String wire, boolean personal) {
    this.wire = wire;
    this.personal = personal;
  }

  public static AttemptScope of(String wire) {
    return Arrays.stream(values()).filter(scope -> scope.wire.equals(wire)).findFirst()
      .orElseThrow(() -> ErrorCode.INVALID.failure("Unknown attempt scope " + wire));
  }
}
