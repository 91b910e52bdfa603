package io.codelabs.bus;

import io.vertx.core.json.JsonObject;

/**
 * Who is asking, stamped onto every command and query by the API or the bridge from a verified
 * token, never taken from what a client sent.
 */
public record Actor(Address.Role role, String id, String codelabId, String name) {

  public static Actor facilitator(String id, String name) {
    return new Actor(Address.Role.FACILITATOR, id, null, name);
  }

  public static Actor attendee(String id, String codelabId, String name) {
    return new Actor(Address.Role.ATTENDEE, id, codelabId, name);
  }

  public boolean isFacilitator() {
    return role == Address.Role.FACILITATOR;
  }

  public JsonObject toJson() {
    return new JsonObject().put("role", role.name()).put("id", id).put("codelabId", codelabId).put("name", name);
  }

  /** The actor of a message body, or null for an anonymous caller. */
  public static Actor of(JsonObject body) {
    JsonObject json = body.getJsonObject("actor");
    if (json == null) {
      return null;
    }
    return new Actor(Address.Role.valueOf(json.getString("role")), json.getString("id"),
      json.getString("codelabId"), json.getString("name"));
  }
}
