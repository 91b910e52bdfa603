package io.codelabs.bridge;

import io.codelabs.bus.Actor;
import io.codelabs.bus.Address;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * What a browser may do, derived from the address catalogue: send only to the exact command and
 * query addresses its role may use, register only to event addresses its role may receive, and only for
 * its own codelab (attendees) or one it facilitates, and its own inbox. Everything else is denied.
 */
final class Permissions {
  private static final Pattern PLACEHOLDER = Pattern.compile("\\{([a-zA-Z]+)}");

  /** An event address a socket asked for, with the values of its placeholders. */
  record Subscription(Address address, Map<String, String> values) {
    String codelabId() {
      return values.get("codelabId");
    }
  }

  private record Template(Address address, Pattern pattern, List<String> names) {
  }

  private final Map<String, Address> commands;
  private final List<Template> events;

  Permissions() {
    commands = Arrays.stream(Address.values())
      .filter(a -> !a.outbound() && !a.users.isEmpty())
      .collect(Collectors.toMap(a -> a.address, a -> a));
    events = Arrays.stream(Address.values())
      .filter(a -> a.outbound() && !a.users.isEmpty())
      .map(Permissions::template)
      .toList();
  }

  /** The command or query at exactly this address, if the actor's role may send to it. */
  Optional<Address> command(Actor actor, String address) {
    return Optional.ofNullable(commands.get(address)).filter(a -> a.users.contains(actor.role()));
  }

  /**
   * The event stream at this address, if the actor's role may receive it and every placeholder
   * that names a person names the actor. Membership of the codelab is checked by the caller.
   */
  Optional<Subscription> subscription(Actor actor, String address) {
    for (Template template : events) {
      Matcher matcher = template.pattern.matcher(address);
      if (!matcher.matches() || !template.address.users.contains(actor.role())) {
        continue;
      }
      Map<String, String> values = new HashMap<>();
      for (int i = 0; i < template.names.size(); i++) {
        values.put(template.names.get(i), matcher.group(i + 1));
      }
      String attendeeId = values.get("attendeeId");
      if (attendeeId != null && !attendeeId.equals(actor.id())) {
        return Optional.empty();
      }
      if (!actor.isFacilitator() && !values.get("codelabId").equals(actor.codelabId())) {
        return Optional.empty();
      }
      return Optional.of(new Subscription(template.address, values));
    }
    return Optional.empty();
  }

  private static Template template(Address address) {
    List<String> names = new ArrayList<>();
    Matcher placeholders = PLACEHOLDER.matcher(address.address);
    StringBuilder regex = new StringBuilder();
    int last = 0;
    while (placeholders.find()) {
      regex.append(Pattern.quote(address.address.substring(last, placeholders.start()))).append("([A-Za-z0-9-]{1,64})");
      names.add(placeholders.group(1));
      last = placeholders.end();
    }
    regex.append(Pattern.quote(address.address.substring(last)));
    return new Template(address, Pattern.compile(regex.toString()), names);
  }
}
