package io.codelabs.persistence;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.apache.ratis.protocol.RaftPeer;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("A change of the core nodes, checked before the log is asked")
class CoreMembersTest {
  private static final List<RaftPeer> THREE = CoreReplica.peers("a=h1:7100,b=h2:7100,c=h3:7100");

  @Test
  @DisplayName("adding one, removing one, or both at once keeps a majority and passes")
  void oneStepPasses() {
    assertThatCode(() -> CoreMembers.check(THREE, list("a=h1:7100,b=h2:7100,c=h3:7100,d=h4:7100")))
      .doesNotThrowAnyException();
    assertThatCode(() -> CoreMembers.check(THREE, list("a=h1:7100,c=h3:7100"))).doesNotThrowAnyException();
    assertThatCode(() -> CoreMembers.check(THREE, list("a=h1:7100,c=h3:7100,d=h4:7100"))).doesNotThrowAnyException();
  }

  @Test
  @DisplayName("a list that keeps no majority of the core nodes in force is refused")
  void majorityKept() {
    assertThatThrownBy(() -> CoreMembers.check(THREE, list("a=h1:7100,d=h4:7100,e=h5:7100")))
      .hasMessageContaining("keeps 1 of the 3");
    assertThatThrownBy(() -> CoreMembers.check(THREE, list("d=h4:7100"))).hasMessageContaining("keeps 0 of the 3");
    assertThatThrownBy(() -> CoreMembers.check(list("a=h1:7100,b=h2:7100"), list("a=h1:7100,d=h4:7100")))
      .hasMessageContaining("keeps 1 of the 2");
  }

  @Test
  @DisplayName("a core node keeps its address: moving one is a removal and an addition under a new id")
  void addressKept() {
    assertThatThrownBy(() -> CoreMembers.check(THREE, list("a=h1:7100,b=h2:7100,c=h9:7100")))
      .hasMessageContaining("core node c is at h3:7100");
  }

  @Test
  @DisplayName("an empty list, a missing address, an id twice are refused as they are parsed")
  void parse() {
    assertThatThrownBy(() -> CoreMembers.parse(new JsonArray())).hasMessageContaining("at least one");
    assertThatThrownBy(() -> CoreMembers.parse(null)).hasMessageContaining("at least one");
    assertThatThrownBy(() -> CoreMembers.parse(new JsonArray().add(new JsonObject().put("id", "a"))))
      .hasMessageContaining("peers[0] needs an id and an address");
    assertThatThrownBy(() -> CoreMembers.parse(new JsonArray()
      .add(new JsonObject().put("id", "a").put("address", "h1:1"))
      .add(new JsonObject().put("id", "a").put("address", "h2:1")))).hasMessageContaining("listed twice");
  }

  private static List<RaftPeer> list(String peers) {
    return CoreReplica.peers(peers);
  }
}
