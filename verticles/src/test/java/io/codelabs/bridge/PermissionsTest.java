package io.codelabs.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import io.codelabs.bus.Actor;
import io.codelabs.bus.Address;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The bridge's permissions are the catalogue's "users" column, entry for entry. */
@DisplayName("Bridge permissions and the address catalogue agree")
class PermissionsTest {
  private final Permissions permissions = new Permissions();
  private final Actor attendee = Actor.attendee("a1", "c1", "neo");
  private final Actor facilitator = Actor.facilitator("f1", "Kim");

  @Test
  @DisplayName("a role may send exactly to the commands and queries the catalogue gives it")
  void inbound() {
    for (Address address : Address.values()) {
      boolean inbound = !address.outbound();
      assertThat(permissions.command(attendee, address.address).isPresent()).as("attendee sends %s", address)
        .isEqualTo(inbound && address.users.contains(Address.Role.ATTENDEE));
      assertThat(permissions.command(facilitator, address.address).isPresent()).as("facilitator sends %s", address)
        .isEqualTo(inbound && address.users.contains(Address.Role.FACILITATOR));
    }
  }

  @Test
  @DisplayName("a role may register exactly to the event streams the catalogue gives it, for itself")
  void outbound() {
    for (Address address : Address.values()) {
      if (!address.outbound()) {
        continue;
      }
      String own = address.address.contains("{attendeeId}") ? address.of("c1", "a1") : address.of("c1");
      assertThat(permissions.subscription(attendee, own).isPresent()).as("attendee receives %s", address)
        .isEqualTo(address.users.contains(Address.Role.ATTENDEE));
      assertThat(permissions.subscription(facilitator, own).isPresent()).as("facilitator receives %s", address)
        .isEqualTo(address.users.contains(Address.Role.FACILITATOR));
    }
    assertThat(permissions.subscription(attendee, Address.PUBLIC_EVENTS.of("c2"))).isEmpty();
    assertThat(permissions.subscription(attendee, Address.INBOX_EVENTS.of("c1", "a2"))).isEmpty();
    assertThat(permissions.subscription(attendee, Address.PUBLIC_EVENTS.of("c1") + ".extra")).isEmpty();
  }
}
