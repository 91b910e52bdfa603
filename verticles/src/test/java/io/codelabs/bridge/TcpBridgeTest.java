package io.codelabs.bridge;

import static io.codelabs.BridgeClient.error;
import static io.codelabs.BridgeClient.event;
import static org.assertj.core.api.Assertions.assertThat;

import io.codelabs.BridgeClient;
import io.codelabs.Http;
import io.codelabs.Node;
import io.codelabs.NodeTestBase;
import io.codelabs.TestNode;
import io.codelabs.bus.Address;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.KeyStoreOptions;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.junit5.Checkpoint;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import io.vertx.ext.eventbus.bridge.tcp.impl.protocol.FrameParser;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** What is particular to the TCP bridge: the first frame signs in, the wire format's limits, replay, ends, TLS. */
@DisplayName("TCP event-bus bridge")
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TcpBridgeTest extends NodeTestBase {
  private static final long QUIET_MS = 300;
  private static final String PASSWORD = "store-secret";

  private NetClient tcp;
  private String codelabId;

  @BeforeEach
  void setUp(Vertx vertx) {
    tcp = vertx.createNetClient();
    codelabId = codelab(admin);
  }

  private BridgeClient connect(String token) {
    return BridgeClient.connectTcp(tcp, node.tcpBridgePort, token).await();
  }

  private static JsonObject withCredential(JsonObject frame, String token) {
    return frame.put("headers", new JsonObject().put("Authorization", "Bearer " + token));
  }

  private JsonObject replay(BridgeClient socket, long after, String epoch) {
    return socket.request(Address.EVENTS_SINCE.address, new JsonObject().put("codelabId", codelabId)
      .put("after", after).put("epoch", epoch)).await().getJsonObject("body");
  }

  @Test
  @DisplayName("frames before a signed-in first frame are not handled: the socket is told once and closed")
  void unsignedFirstFrameRefused() {
    String neo = attendee(codelabId, "neo");
    NetSocket socket = tcp.connect(node.tcpBridgePort, "127.0.0.1").await();
    List<JsonObject> received = new CopyOnWriteArrayList<>();
    Promise<Void> closed = Promise.promise();
    socket.handler(new FrameParser(frame -> received.add(frame.result())));
    socket.closeHandler(closed::complete);
    JsonObject chat = new JsonObject().put("type", "send").put("address", Address.CHAT_SEND.address)
      .put("body", new JsonObject().put("text", "before signing in"));
    socket.write(frame(chat.copy().put("headers", new JsonObject().put("Authorization", "Basic " + neo)))
      .appendBuffer(frame(chat)));
    closed.future().await();
    assertThat(received).extracting(frame -> frame.getString("body")).containsExactly("not_logged_in");
    assertThat(http.get("/api/codelabs/" + codelabId + "/chat", admin).json().getJsonArray("messages")).isEmpty();
  }

  @Test
  @DisplayName("the signed-in first frame is handled itself, and the frames right behind it in order")
  void firstFrameHandled(VertxTestContext test) {
    String neo = attendee(codelabId, "neo");
    NetSocket socket = tcp.connect(node.tcpBridgePort, "127.0.0.1").await();
    List<JsonObject> received = new ArrayList<>();
    socket.handler(new FrameParser(frame -> {
      received.add(frame.result());
      if (received.size() == 2) {
        test.verify(() -> {
          assertThat(received).extracting(f -> f.getString("address")).containsExactly("first", "second");
          assertThat(received).extracting(f -> f.getString("type"))
            .as("deliveries as the stock TCP bridge sends them").containsOnly("message");
          test.completeNow();
        });
      }
    }));
    JsonObject first = withCredential(new JsonObject().put("type", "send").put("address", Address.CHAT_SEND.address)
      .put("body", new JsonObject().put("text", "one")).put("replyAddress", "first"), neo);
    JsonObject second = new JsonObject().put("type", "send").put("address", Address.CHAT_SEND.address)
      .put("body", new JsonObject().put("text", "two")).put("replyAddress", "second");
    socket.write(frame(first).appendBuffer(frame(second)));
  }

  @Test
  @DisplayName("a ping is answered with a pong, as stock TCP bridge clients expect")
  void pingAnswered(VertxTestContext test) {
    NetSocket socket = tcp.connect(node.tcpBridgePort, "127.0.0.1").await();
    socket.handler(new FrameParser(frame -> test.verify(() -> {
      assertThat(frame.result().getString("type")).isEqualTo("pong");
      test.completeNow();
    })));
    socket.write(frame(withCredential(new JsonObject().put("type", "ping"), attendee(codelabId, "pinger"))));
  }

  @Test
  @DisplayName("a forged credential gets not_logged_in and the socket closes")
  void forgedRefused(VertxTestContext test) {
    BridgeClient forged = connect(admin.substring(0, admin.length() - 3) + "xyz");
    Checkpoint told = test.checkpoint();
    Checkpoint closed = test.checkpoint();
    forged.next(error("not_logged_in")).onComplete(test.succeeding(frame -> told.flag()));
    forged.closed().onComplete(test.succeeding(v -> closed.flag()));
  }

  @Test
  @DisplayName("a length prefix past the frame limit is refused before its body is sent")
  void oversizedRefused(VertxTestContext test) {
    BridgeClient socket = connect(admin);
    socket.request(Address.EVENTS_SINCE.address, new JsonObject().put("codelabId", codelabId).put("after", 0)).await();
    Checkpoint told = test.checkpoint();
    Checkpoint closed = test.checkpoint();
    socket.next(error("payload_too_large")).onComplete(test.succeeding(frame -> told.flag()));
    socket.closed().onComplete(test.succeeding(v -> closed.flag()));
    socket.writeBytes(Buffer.buffer().appendInt(16_385));
  }

  @Test
  @DisplayName("after a dropped socket the replay over TCP is the missed events, seq contiguous, nothing twice")
  void replayAfterDrop() {
    String trinity = attendee(codelabId, "trinity");
    BridgeClient first = BridgeClient.Clients.of(node.vertx).listening(BridgeClient.Transport.TCP, node, admin,
      codelabId, Address.FACILITATOR_EVENTS.of(codelabId), Address.PUBLIC_EVENTS.of(codelabId));
    http.post("/api/codelabs/" + codelabId + "/chat", trinity, new JsonObject().put("text", "before"));
    JsonObject before = first.next(event("chat.posted")).await().getJsonObject("body");
    first.close().await();

    http.post("/api/codelabs/" + codelabId + "/chat", trinity, new JsonObject().put("text", "missed 1"));
    http.post("/api/codelabs/" + codelabId + "/progress", trinity, new JsonObject().put("step", 2));
    http.post("/api/codelabs/" + codelabId + "/help", trinity, new JsonObject().put("message", "stuck"));
    http.post("/api/codelabs/" + codelabId + "/announcements", admin, new JsonObject().put("text", "missed 2"));

    BridgeClient again = connect(admin);
    JsonObject replay = replay(again, before.getLong("seq"), before.getString("epoch"));
    assertThat(replay.getBoolean("reset")).isFalse();
    List<JsonObject> missed = replay.getJsonArray("events").stream().map(JsonObject.class::cast).toList();
    assertThat(missed.stream().map(e -> e.getString("type")))
      .containsExactly("chat.posted", "attendee.step-changed", "help.requested", "announcement.posted");
    assertThat(missed.stream().map(e -> e.getLong("seq")).toList()).containsExactlyElementsOf(LongStream
      .rangeClosed(before.getLong("seq") + 1, before.getLong("seq") + missed.size()).boxed().toList());
    assertThat(replay.getLong("latestSeq")).isEqualTo(missed.get(missed.size() - 1).getLong("seq"));
  }

  @Test
  @DisplayName("a client from another database epoch is told to reset, over TCP too")
  void resetOnEpochChange() {
    BridgeClient socket = connect(admin);
    JsonObject replay = replay(socket, 1, "an-old-epoch");
    assertThat(replay.getBoolean("reset")).isTrue();
    assertThat(replay.getJsonArray("events")).isEqualTo(new JsonArray());
  }

  @Test
  @DisplayName("signing out closes the session's open TCP socket at once, and its token is refused after")
  void signOutCloses(VertxTestContext test) {
    String neo = attendee(codelabId, unique("neo"));
    BridgeClient socket = connect(neo);
    socket.request(Address.EVENTS_SINCE.address, new JsonObject().put("codelabId", codelabId).put("after", 0)).await();
    EndedConnection.toldClosedAndRefused(test, socket, () -> BridgeClient.connectTcp(tcp, node.tcpBridgePort, neo));
    assertThat(http.post("/api/auth/logout", neo, null).status()).isEqualTo(204);
  }

  @Test
  @DisplayName("a TCP session counts in presence like a browser's")
  void presenceCounts() {
    BridgeClient facilitator = connect(admin);
    facilitator.register(Address.FACILITATOR_EVENTS.of(codelabId));
    replay(facilitator, 0, null);
    BridgeClient neo = connect(attendee(codelabId, "neo"));
    assertThat(facilitator.next(event("attendee.online")).await().getJsonObject("body").getJsonObject("data")
      .getString("nickname")).isEqualTo("neo");
    neo.close().await();
    facilitator.next(event("attendee.offline")).await();
  }

  @Test
  @DisplayName("with a key store configured the TCP bridge speaks TLS, and a client trusting it signs in")
  void tls(Vertx vertx, @TempDir Path dir) throws Exception {
    Path keyStore = dir.resolve("bridge.p12");
    Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
      "-genkeypair", "-alias", "bridge", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=localhost",
      "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-validity", "2", "-storetype", "PKCS12",
      "-keystore", keyStore.toString(), "-storepass", PASSWORD).inheritIO().start();
    assertThat(keytool.waitFor()).isZero();
    Node secured = TestNode.start(dir.resolve("data"), new JsonObject()
      .put(BridgeVerticle.TCP_KEY_STORE, keyStore.toString()).put(BridgeVerticle.TCP_KEY_STORE_PASSWORD, PASSWORD));
    try {
      Http securedHttp = new Http(vertx, secured.httpPort);
      String token = securedHttp.login(Node.FIRST_FACILITATOR, secured.createdPassword);
      String lab = securedHttp.createCodelab(token, new JsonObject().put("title", "TLS").put("steps", new JsonArray()));
      NetClient tlsClient = vertx.createNetClient(new NetClientOptions().setSsl(true).setHostnameVerificationAlgorithm("HTTPS")
        .setTrustOptions(new KeyStoreOptions().setType("PKCS12").setPath(keyStore.toString()).setPassword(PASSWORD)));
      BridgeClient socket = BridgeClient.connectTcp(tlsClient, secured.tcpBridgePort, token).await();
      JsonObject reply = socket.request(Address.EVENTS_SINCE.address, new JsonObject().put("codelabId", lab)
        .put("after", 0)).await();
      assertThat(reply.getString("type")).isEqualTo("rec");
      assertThat(reply.getJsonObject("body").getBoolean("reset")).isFalse();

      BridgeClient plain = BridgeClient.connectTcp(tcp, secured.tcpBridgePort, token).await();
      plain.closed().await();
      assertThat(plain.unmatched()).isEmpty();
      securedHttp.close();
    } finally {
      secured.stop().await();
    }
  }

  private static Buffer frame(JsonObject frame) {
    Buffer json = frame.toBuffer();
    return Buffer.buffer().appendInt(json.length()).appendBuffer(json);
  }
}
