package io.codelabs.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.codelabs.Http;
import io.codelabs.bus.Address;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three node processes of the built jar on loopback, each test its own cluster: events reach the
 * right sockets on every node, and losing an edge node, the writer, or freezing the writer loses
 * nothing acknowledged. Prints the figures of each scenario on lines starting with CLUSTER-FIGURE.
 */
@DisplayName("A cluster of node processes")
@ExtendWith(VertxExtension.class)
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ClusterIT {
  private static final Duration START = Duration.ofSeconds(90);
  private static final Duration SETTLE = Duration.ofSeconds(30);
  /** Shorter than the default so that a request to a frozen writer gives up sooner. */
  private static final long BUS_TIMEOUT_MS = 2_000;
  private static final String[] NODE_OPTIONS = {"--bus-timeout", Long.toString(BUS_TIMEOUT_MS)};
  private static final long SEND_INTERVAL_MS = 100;
  private static final long PROBE_INTERVAL_MS = 50;
  private static final String CORE_NODES = "/api/cluster/core";
  private static final List<String> CORE_IDS = List.of("core0", "core1", "core2");

  @TempDir
  Path work;

  private Vertx vertx;
  private LoopbackCluster cluster;
  private final List<Participant> participants = new ArrayList<>();

  private record Workshop(String codelabId, String admin, Http http) {
  }

  @BeforeEach
  void keepVertx(Vertx vertx) {
    this.vertx = vertx;
  }

  @AfterEach
  void stopEverything() throws InterruptedException {
    participants.forEach(participant -> participant.close().await());
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  @DisplayName("attendees on two edge nodes, facilitator on the third: every progress, help and chat event reaches exactly the right sockets")
  void eventsReachExactlyTheRightSockets() throws Exception {
    cluster = LoopbackCluster.create(work, 3);
    long launched = System.nanoTime();
    NodeProcess core = cluster.start("core", "persistence,api,bridge", NODE_OPTIONS);
    NodeProcess edgeA = cluster.start("edge-a", "api,bridge", NODE_OPTIONS);
    NodeProcess edgeB = cluster.start("edge-b", "api,bridge", NODE_OPTIONS);
    figure("fan-out", "cluster formation, 3 processes launched together to all ready", formation(launched, core, edgeA, edgeB));
    Workshop workshop = workshop(core);
    Participant facilitator = facilitator(workshop, bridgePort(core));
    List<Participant> attendees = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      NodeProcess edge = i % 2 == 0 ? edgeA : edgeB;
      attendees.add(attendee(workshop, "fan" + i, edge, List.of(bridgePort(edge))));
    }
    connectAll();
    EventLog log = new EventLog(cluster.dataDir);
    awaitTrue("every attendee shows online to the facilitator", () -> facilitator.events.values().stream()
      .filter(received -> received.event().getString("type").equals("attendee.online")).count() == attendees.size());
    long base = log.maxSeq(workshop.codelabId);

    List<Future<?>> sent = new ArrayList<>();
    for (Participant attendee : attendees) {
      sent.add(attendee.send(Address.PROGRESS_REPORT, new JsonObject().put("eventId", attendee.name + "-progress").put("step", 1))
        .compose(v -> attendee.send(Address.HELP_REQUEST, new JsonObject().put("eventId", attendee.name + "-help")
          .put("message", "stuck")))
        .compose(v -> attendee.send(Address.CHAT_SEND, new JsonObject().put("eventId", attendee.name + "-chat")
          .put("text", "hello from " + attendee.name))));
    }
    Future.all(sent).await();
    facilitator.send(Address.CHAT_SEND, new JsonObject().put("codelabId", workshop.codelabId).put("eventId", "fac-direct")
      .put("text", "psst").put("direct", true).put("attendeeId", attendees.get(0).attendeeId)).await();
    JsonArray help = workshop.http.get("/api/codelabs/" + workshop.codelabId + "/help", workshop.admin).json()
      .getJsonArray("help");
    String claimed = help.stream().map(JsonObject.class::cast)
      .filter(request -> request.getString("attendeeId").equals(attendees.get(1).attendeeId))
      .findFirst().orElseThrow().getString("id");
    facilitator.send(Address.HELP_CLAIM, new JsonObject().put("codelabId", workshop.codelabId).put("helpId", claimed)
      .put("eventId", "fac-claim")).await();

    Map<String, Long> cold = announce(facilitator, workshop.codelabId, "latency-cold-", 60, 60);
    announce(facilitator, workshop.codelabId, "warm-up-", 240, 20);
    Map<String, Long> warm = announce(facilitator, workshop.codelabId, "latency-warm-", 60, 60);

    List<EventLog.Row> rows = log.events(workshop.codelabId);
    long max = rows.get(rows.size() - 1).seq();
    for (Participant participant : participants) {
      List<Long> expected = rows.stream().filter(row -> row.seq() > base && row.visibleTo(participant))
        .map(EventLog.Row::seq).toList();
      awaitTrue(participant.name + " received its events live", () -> liveSeqs(participant, base, max).equals(expected));
      assertThat(liveSeqs(participant, base, max)).as("live events of %s", participant.name).isEqualTo(expected);
      assertThat(participant.duplicates.get()).as("events %s received twice", participant.name).isZero();
    }
    assertThat(attendees.get(0).events.values()).as("the direct message reaches its attendee only")
      .anyMatch(received -> "fac-direct".equals(received.event().getString("eventId")));
    assertThat(attendees.subList(1, attendees.size())).allSatisfy(other -> assertThat(other.events.values())
      .noneMatch(received -> "fac-direct".equals(received.event().getString("eventId"))));
    assertThat(attendees).allSatisfy(attendee -> assertThat(attendee.events.values())
      .noneMatch(received -> received.event().getString("stream").equals("facilitators")));
    assertThat(rows.stream().map(EventLog.Row::seq).toList()).isEqualTo(LongStream.rangeClosed(1, max).boxed().toList());
    figure("fan-out", "delivery", delivery(base, max, rows));

    latencyFigures("first 60 announcements after start", cold, facilitator, attendees);
    latencyFigures("60 announcements after 300", warm, facilitator, attendees);
  }

  private static void latencyFigures(String when, Map<String, Long> sentAt, Participant local, List<Participant> remotes) {
    figure("fan-out", "announcement to socket on the writer's node, " + when + ", p50/p99 ms",
      millis(latencies(List.of(local), sentAt)));
    figure("fan-out", "announcement to sockets on other nodes, " + when + ", p50/p99 ms", millis(latencies(remotes, sentAt)));
    figure("fan-out", "added latency of a cross-node hop (each event: other node's socket minus writer node's), " + when
      + ", p50/p99 ms", millis(hops(local, remotes, sentAt.keySet())));
  }

  /** Announcements one after another, each acknowledged, with a pause between them; returns when each was sent. */
  private Map<String, Long> announce(Participant facilitator, String codelabId, String prefix, int count, long pauseMillis) {
    Map<String, Long> sentAt = new LinkedHashMap<>();
    for (int i = 0; i < count; i++) {
      String eventId = prefix + i;
      sentAt.put(eventId, System.nanoTime());
      facilitator.send(Address.ANNOUNCEMENT_POST, new JsonObject().put("codelabId", codelabId)
        .put("eventId", eventId).put("text", "announcement " + eventId)).await();
      pause(pauseMillis);
    }
    return sentAt;
  }

  @Test
  @DisplayName("kill -9 of an edge node while its attendees send: they reconnect elsewhere, replay, and nothing acknowledged is lost or doubled")
  void edgeNodeKilled() throws Exception {
    cluster = LoopbackCluster.create(work, 3);
    long launched = System.nanoTime();
    NodeProcess core = cluster.start("core", "persistence,api,bridge", NODE_OPTIONS);
    NodeProcess edgeA = cluster.start("edge-a", "api,bridge", NODE_OPTIONS);
    NodeProcess edgeB = cluster.start("edge-b", "api,bridge", NODE_OPTIONS);
    figure("edge-kill", "cluster formation, 3 processes launched together to all ready", formation(launched, core, edgeA, edgeB));
    Workshop workshop = workshop(core);
    facilitator(workshop, bridgePort(core));
    List<Integer> edges = List.of(bridgePort(edgeA), bridgePort(edgeB));
    List<Participant> attendees = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      attendees.add(attendee(workshop, "edge" + i, i % 2 == 0 ? edgeA : edgeB, edges, i % 2));
    }
    connectAll();
    EventLog log = new EventLog(cluster.dataDir);
    long base = log.maxSeq(workshop.codelabId);
    Promise<Void> stop = Promise.promise();
    List<Future<Void>> sending = attendees.stream().map(a -> a.keepSending(stop.future(), SEND_INTERVAL_MS)).toList();
    awaitTrue("every attendee has some writes acknowledged", () -> attendees.stream().allMatch(a -> a.acked.size() >= 6));

    long killed = System.nanoTime();
    edgeA.kill();
    List<Participant> moved = List.of(attendees.get(0), attendees.get(2));
    Map<String, Integer> before = attendees.stream().collect(Collectors.toMap(a -> a.name, a -> a.acked.size()));
    awaitTrue("the killed node's attendees reconnected elsewhere and write again", () -> moved.stream()
      .allMatch(a -> a.reconnects.get() > 0 && a.acked.size() >= before.get(a.name) + 6));
    long resumed = moved.stream().mapToLong(a -> a.ackedAtNanos.values().stream().mapToLong(Long::longValue).filter(t -> t > killed).min().orElseThrow())
      .max().orElseThrow();
    stop.complete();
    Future.all(sending).await();

    verifyNothingLost("edge-kill", workshop, log, base);
    assertThat(moved).allSatisfy(a -> assertThat(a.port()).isEqualTo(edges.get(1)));
    figure("edge-kill", "kill -9 to every moved attendee writing again, ms", ms(resumed - killed));
  }

  @Test
  @DisplayName("kill -9 of the writer with a standby: writes fail fast while it takes over, then retries land exactly once")
  void writerKilled() throws Exception {
    WriterSwitch run = writerSwitch("writer-kill", PROBE_INTERVAL_MS);
    NodeProcess writer = run.writer();
    NodeProcess standby = run.standby();
    List<Participant> attendees = run.attendees();
    WriteProbe probe = run.probe();
    long killed = System.nanoTime();
    writer.kill();
    long tookOver = standby.printedAt(NodeProcess.WRITER, SETTLE);
    assertThat(standby.await(NodeProcess.WRITER, SETTLE).group(1)).isEqualTo("2");
    awaitTrue("writes are acknowledged again", () -> attendees.stream()
      .allMatch(a -> a.ackedAtNanos.values().stream().filter(t -> t > tookOver).count() >= 5));
    probe.finish();
    run.stopSending();

    List<EventLog.Row> rows = verifyNothingLost("writer-kill", run.workshop(), run.log(), run.base());
    verifyProbe("writer-kill", probe, rows);
    assertThat(probe.attempts()).as("writes answered 503 at once while no node held the writer seat")
      .anyMatch(attempt -> attempt.status() == 503);
    List<Participant.Failure> failures = failuresAfter(attendees, killed);
    assertThat(failures).extracting(Participant.Failure::code).as("failure codes").isSubsetOf(503, 504);
    figure("writer-kill", "takeover, kill -9 to standby holding term 2, ms", ms(tookOver - killed));
    figure("writer-kill", "first acknowledged write after kill -9, ms", ms(firstAckAfter(attendees, killed) - killed));
    figure("writer-kill", "attendees' failed attempts", failureSummary(failures));
  }

  @Test
  @DisplayName("SIGSTOP of the writer past failure detection, then SIGCONT: the standby takes over and the old writer never commits again")
  void writerFrozen() throws Exception {
    WriterSwitch run = writerSwitch("writer-freeze", PROBE_INTERVAL_MS * 4);
    NodeProcess writer = run.writer();
    NodeProcess standby = run.standby();
    List<Participant> attendees = run.attendees();
    WriteProbe probe = run.probe();
    long frozen = System.nanoTime();
    writer.freeze();
    long tookOver = standby.printedAt(NodeProcess.WRITER, Duration.ofSeconds(60));
    awaitTrue("writes are acknowledged by the new writer", () -> attendees.stream()
      .allMatch(a -> a.ackedAtNanos.values().stream().filter(t -> t > tookOver).count() >= 3));
    long thawed = System.nanoTime();
    writer.thaw();
    long fenced = writer.printedAt(NodeProcess.FENCED, SETTLE);
    assertThat(writer.process.waitFor(45, TimeUnit.SECONDS)).as("the fenced writer exits").isTrue();
    assertThat(writer.process.exitValue()).isEqualTo(3);
    Map<String, Integer> before = attendees.stream().collect(Collectors.toMap(a -> a.name, a -> a.acked.size()));
    awaitTrue("writes go on after the old writer left", () -> attendees.stream()
      .allMatch(a -> a.acked.size() >= before.get(a.name) + 3));
    probe.finish();
    run.stopSending();

    List<EventLog.Row> rows = verifyNothingLost("writer-freeze", run.workshop(), run.log(), run.base());
    // The frozen writer holds the requests sent to it until Hazelcast drops it; they are then answered 503, after up to
    // the bus timeout.
    verifyProbe("writer-freeze", probe, rows, false);
    EventLog.Lease lease = run.log().lease();
    assertThat(lease.term()).isEqualTo(2);
    assertThat(rows).extracting(EventLog.Row::term).as("terms along seq").isSorted();
    assertThat(rows).filteredOn(row -> row.term() < lease.term())
      .as("commits of the old writer after the takeover").allSatisfy(row -> assertThat(row.createdAt()).isLessThanOrEqualTo(lease.since()));
    figure("writer-freeze", "takeover, SIGSTOP to standby holding term 2, ms", ms(tookOver - frozen));
    figure("writer-freeze", "SIGCONT to the old writer fencing itself, ms", ms(fenced - thawed));
    figure("writer-freeze", "attendees' failed attempts", failureSummary(failuresAfter(attendees, frozen)));
    figure("writer-freeze", "the old writer on SIGCONT", Files.readAllLines(work.resolve("writer.log")).stream()
      .filter(line -> line.contains("taken over")).findFirst().orElse("no fencing logged"));
  }

  @Test
  @DisplayName("SIGSTOP of the leading core node under load, then SIGCONT: another leads, the old leader commits nothing and follows")
  void coreLeaderFrozen() throws Exception {
    CoreRun run = coreCluster("core-freeze");
    long frozen = System.nanoTime();
    run.leader.freeze();
    long leads = firstToLead(run.others(), SETTLE).printedAt(NodeProcess.WRITER, SETTLE);
    awaitWritesAfter(run.attendees, leads);
    long thawed = System.nanoTime();
    run.leader.thaw();
    // Whichever comes first says so: the seat learning of the new term, or the writer's batch finding no majority.
    awaitTrue("the old leader stops writing", () -> logged(run.leader, "stops writing"));
    awaitWritesAfter(run.attendees, System.nanoTime());
    run.finish();

    // As for the frozen writer: what the edge sent the frozen node is answered 503 when Hazelcast drops it.
    List<EventLog.Row> rows = verifyCoreFiles("core-freeze", run, run.cores, false);
    assertThat(rows).extracting(EventLog.Row::term).as("terms along seq").isSorted();
    assertThat(run.leader.process.isAlive()).as("the old leader runs on as a follower").isTrue();
    figure("core-freeze", "SIGSTOP to another core node leading, ms", ms(leads - frozen));
    figure("core-freeze", "first acknowledged write after SIGSTOP, ms", ms(firstAckAfter(run.attendees, frozen) - frozen));
    figure("core-freeze", "attendees' failed attempts", failureSummary(failuresAfter(run.attendees, frozen)));
    figure("core-freeze", "writes acknowledged after SIGCONT", run.attendees.stream()
      .mapToLong(a -> a.ackedAtNanos.values().stream().filter(t -> t > thawed).count()).sum());
  }

  @Test
  @DisplayName("kill -9 of the leading core node under load and its data directory deleted: another leads, nothing acknowledged is lost, and the node comes back empty and catches up from a snapshot")
  void coreLeaderKilledAndWiped() throws Exception {
    CoreRun run = coreCluster("core-kill", "--core-snapshot-every", "20");
    long killed = System.nanoTime();
    run.leader.kill();
    deleteTree(cluster.coreDataDir(run.leader.name));
    NodeProcess next = firstToLead(run.others(), SETTLE);
    long leads = next.printedAt(NodeProcess.WRITER, SETTLE);
    awaitWritesAfter(run.attendees, leads);
    awaitTrue("the new leader's log is purged up to a snapshot", () -> raftFiles(next, "log_0-").isEmpty()
      && !raftFiles(next, "snapshot.").isEmpty());
    long restarted = System.nanoTime();
    NodeProcess back = cluster.startCore(run.leader.name, run.peers, run.options);
    back.await(NodeProcess.READY, START);
    awaitWritesAfter(run.attendees, System.nanoTime());
    run.finish();

    List<NodeProcess> now = new ArrayList<>(run.others());
    now.add(back);
    verifyCoreFiles("core-kill", run, now);
    List<Participant.Failure> failures = failuresAfter(run.attendees, killed);
    assertThat(failures).extracting(Participant.Failure::code).as("failure codes").isSubsetOf(503, 504);
    assertThat(raftFiles(back, "snapshot.")).as("snapshots the wiped node received or took").isNotEmpty();
    figure("core-kill", "kill -9 to another core node leading, ms", ms(leads - killed));
    figure("core-kill", "first acknowledged write after kill -9, ms", ms(firstAckAfter(run.attendees, killed) - killed));
    figure("core-kill", "attendees' failed attempts", failureSummary(failures));
    figure("core-kill", "restart of the wiped node to its file equal to the others', ms", ms(System.nanoTime() - restarted));
  }

  @Test
  @DisplayName("a rolling restart of the three core nodes under load: nothing acknowledged lost")
  void coreRollingRestart() throws Exception {
    CoreRun run = coreCluster("core-rolling");
    List<NodeProcess> now = new ArrayList<>(run.cores);
    for (int i = 0; i < now.size(); i++) {
      NodeProcess old = now.get(i);
      long terminated = System.nanoTime();
      old.terminate();
      figure("core-rolling", "SIGTERM of " + old.name + " to its exit, ms", ms(System.nanoTime() - terminated));
      NodeProcess back = cluster.startCore(old.name, run.peers, run.options);
      back.await(NodeProcess.READY, START);
      now.set(i, back);
      awaitWritesAfter(run.attendees, System.nanoTime());
    }
    run.finish();

    verifyCoreFiles("core-rolling", run, now);
    figure("core-rolling", "attendees' failed attempts", failureSummary(failuresAfter(run.attendees, run.started)));
  }

  @Test
  @DisplayName("the admin adds a fourth core node under load, removes a follower, then the leader: the others lead and write on, the new node's file equals theirs, nothing acknowledged lost")
  void coreMembershipChange() throws Exception {
    CoreRun run = coreCluster("core-members");
    String joinerPeer = cluster.corePeers(List.of("core3"));
    List<String> joinOptions = new ArrayList<>(List.of(run.options));
    joinOptions.add("--core-join");
    long launched = System.nanoTime();
    NodeProcess joiner = cluster.startCore("core3", joinerPeer, joinOptions.toArray(String[]::new));
    joiner.await(NodeProcess.READY, START);
    figure("core-members", "start of the joining node to ready, ms", ms(System.nanoTime() - launched));
    assertThat(joiner.printed(NodeProcess.WRITER)).as("the joining node writes").isFalse();

    Http http = run.workshop.http;
    JsonObject before = http.get(CORE_NODES, run.workshop.admin).json();
    assertThat(before.getString("leader")).isEqualTo(run.leader.name);
    assertThat(before.getJsonArray("peers")).hasSize(3);
    long asked = System.nanoTime();
    Http.Response added = http.put(CORE_NODES, run.workshop.admin, corePeers(run.peers + "," + joinerPeer));
    assertThat(added.status()).as("%s", added.text()).isEqualTo(200);
    figure("core-members", "PUT of four core nodes to its answer, ms", ms(System.nanoTime() - asked));
    assertThat(added.json().getJsonArray("peers")).extracting(peer -> ((JsonObject) peer).getString("id"))
      .containsExactlyInAnyOrder("core0", "core1", "core2", "core3");
    long seqAtAdd = new EventLog(cluster.coreDataDir(run.leader.name)).maxSeq(run.workshop.codelabId);
    EventLog joinerFile = new EventLog(cluster.coreDataDir("core3"));
    awaitTrue("the new core node's file holds what the leader's held when it was added", () -> {
      try {
        return joinerFile.maxSeq(run.workshop.codelabId) >= seqAtAdd;
      } catch (SQLException e) {
        return false;
      }
    });
    figure("core-members", "PUT to the new node's file holding the leader's writes, ms", ms(System.nanoTime() - asked));

    NodeProcess removed = run.others().get(0);
    NodeProcess kept = run.others().get(1);
    String remaining = LoopbackCluster.corePeersWithout(run.peers + "," + joinerPeer, removed.name);
    long shrinkAsked = System.nanoTime();
    Http.Response shrunk = http.put(CORE_NODES, run.workshop.admin, corePeers(remaining));
    assertThat(shrunk.status()).as("%s", shrunk.text()).isEqualTo(200);
    assertThat(shrunk.json().getJsonArray("peers")).extracting(peer -> ((JsonObject) peer).getString("id"))
      .doesNotContain(removed.name).hasSize(3);
    awaitTrue("the removed node is told it is out", () -> logged(removed, "no longer one of the core nodes"));
    figure("core-members", "PUT without a follower to that node logging it is out, ms", ms(System.nanoTime() - shrinkAsked));
    removed.terminate();
    awaitWritesAfter(run.attendees, System.nanoTime());

    List<NodeProcess> others = List.of(kept, joiner);
    long leaderAsked = System.nanoTime();
    Http.Response withoutLeader = http.put(CORE_NODES, run.workshop.admin,
      corePeers(LoopbackCluster.corePeersWithout(remaining, run.leader.name)));
    assertThat(withoutLeader.status()).as("%s", withoutLeader.text()).isEqualTo(200);
    figure("core-members", "PUT without the leader to its answer, ms", ms(System.nanoTime() - leaderAsked));
    NodeProcess next = firstToLead(others, SETTLE);
    figure("core-members", "PUT without the leader to another core node leading, ms",
      ms(next.printedAt(NodeProcess.WRITER, SETTLE) - leaderAsked));
    awaitTrue("the old leader stops writing", () -> logged(run.leader, "stops writing"));
    run.leader.terminate();
    awaitWritesAfter(run.attendees, System.nanoTime());
    JsonObject after = http.get(CORE_NODES, run.workshop.admin).json();
    assertThat(after.getString("leader")).isEqualTo(next.name);
    assertThat(after.getJsonArray("peers")).hasSize(2);
    run.finish();

    verifyCoreFiles("core-members", run, others);
    assertThat(failuresAfter(run.attendees, launched)).extracting(Participant.Failure::code).as("failure codes")
      .isSubsetOf(503, 504);
    figure("core-members", "attendees' failed attempts", failureSummary(failuresAfter(run.attendees, launched)));
  }

  private static JsonObject corePeers(String list) {
    JsonArray peers = new JsonArray();
    for (String entry : list.split(",")) {
      String[] idAndAddress = entry.split("=", 2);
      peers.add(new JsonObject().put("id", idAndAddress[0]).put("address", idAndAddress[1]));
    }
    return new JsonObject().put("peers", peers);
  }

  @Test
  @DisplayName("the leading core node cut off from the other core nodes under load, then joined again: the two others elect a leader and go on, the cut-off node acknowledges nothing, and all files end equal")
  void coreLeaderIsolated() throws Exception {
    CoreRun run = coreCluster("core-partition", true);
    long oldTerm = Long.parseLong(run.leader.await(NodeProcess.WRITER, SETTLE).group(1));
    run.partition.isolate(run.leader.name).await();
    long isolated = System.nanoTime();
    long isolatedAtMillis = System.currentTimeMillis();
    NodeProcess next = firstToLead(run.others(), SETTLE);
    long leads = next.printedAt(NodeProcess.WRITER, SETTLE);
    assertThat(Long.parseLong(next.await(NodeProcess.WRITER, SETTLE).group(1))).as("the new leader's term").isGreaterThan(oldTerm);
    awaitWritesAfter(run.attendees, leads);
    awaitTrue("the cut-off node stops writing", () -> logged(run.leader, "stops writing"));
    EventLog oldFile = new EventLog(cluster.coreDataDir(run.leader.name));
    EventLog newFile = new EventLog(cluster.coreDataDir(next.name));
    long reached = newFile.maxSeq(run.workshop.codelabId);
    long healed = System.nanoTime();
    run.partition.heal().await();
    awaitTrue("the cut-off node's file has what the leader's had when the partition healed", () -> {
      List<EventLog.Row> rows = eventsNow(oldFile, run.workshop.codelabId);
      return rows != null && !rows.isEmpty() && rows.get(rows.size() - 1).seq() >= reached;
    });
    long caughtUp = System.nanoTime();
    awaitWritesAfter(run.attendees, caughtUp);
    run.finish();

    List<EventLog.Row> rows = verifyCoreFiles("core-partition", run, run.cores);
    assertThat(rows).extracting(EventLog.Row::term).as("terms along seq").isSorted();
    assertThat(rows).filteredOn(row -> row.term() <= oldTerm)
      .as("writes of the cut-off leader's term, all begun before the cut")
      .allSatisfy(row -> assertThat(row.createdAt()).isLessThanOrEqualTo(isolatedAtMillis));
    List<Participant.Failure> failures = failuresAfter(run.attendees, isolated);
    assertThat(failures).extracting(Participant.Failure::code).as("failure codes").isSubsetOf(503, 504);
    assertThat(run.leader.process.isAlive()).as("the cut-off node runs on as a follower").isTrue();
    Map<Long, Long> termBySeq = rows.stream().collect(Collectors.toMap(EventLog.Row::seq, EventLog.Row::term));
    long majorityAck = run.attendees.stream().flatMap(a -> a.acked.entrySet().stream()
        .filter(e -> termBySeq.get(e.getValue()) > oldTerm).map(e -> a.ackedAtNanos.get(e.getKey())))
      .min(Long::compare).orElseThrow();
    figure("core-partition", "cut-off of the leading core node to another core node leading, ms", ms(leads - isolated));
    figure("core-partition", "cut-off to the first write acknowledged by the majority side, ms", ms(majorityAck - isolated));
    figure("core-partition", "heal to the cut-off node's file holding what the leader's held at the heal, ms", ms(caughtUp - healed));
    figure("core-partition", "attendees' failed attempts", failureSummary(failures));
  }

  /** Three core nodes, each with its own file, and an edge node, with attendees and a REST probe writing through the edge. */
  private record CoreRun(List<NodeProcess> cores, String peers, String[] options, NodeProcess leader, Workshop workshop,
                         List<Participant> attendees, long base, long started, Promise<Void> stop,
                         List<Future<Void>> sending, WriteProbe probe, CorePartition partition) {
    List<NodeProcess> others() {
      return cores.stream().filter(core -> core != leader).toList();
    }

    void finish() {
      probe.finish();
      stop.complete();
      Future.all(sending).await();
    }
  }

  private CoreRun coreCluster(String scenario, String... coreOptions) throws Exception {
    return coreCluster(scenario, false, coreOptions);
  }

  /** Partitionable: the core nodes reach each other through the proxies of a {@link CorePartition}. */
  private CoreRun coreCluster(String scenario, boolean partitionable, String... coreOptions) throws Exception {
    cluster = LoopbackCluster.create(work, 5);
    CorePartition partition = partitionable ? CorePartition.create(vertx, cluster, CORE_IDS) : null;
    String peers = partition == null ? cluster.corePeers(CORE_IDS) : partition.peers();
    long launched = System.nanoTime();
    List<NodeProcess> cores = new ArrayList<>();
    List<String> options = new ArrayList<>(List.of(NODE_OPTIONS));
    options.addAll(List.of(coreOptions));
    for (String id : CORE_IDS) {
      cores.add(cluster.startCore(id, peers, partition == null ? List.of() : partition.jvmOptions(id),
        options.toArray(String[]::new)));
    }
    NodeProcess edge = cluster.start("edge", "api,bridge", NODE_OPTIONS);
    NodeProcess leader = firstToLead(cores, START);
    figure(scenario, "three core nodes and an edge started together, to the first leader writing",
      ms(leader.printedAt(NodeProcess.WRITER, START) - launched));
    Http edgeApi = new Http(vertx, edge.httpPort());
    awaitTrue("the edge node has the writer's settings", () -> edgeApi.get("/ready", null).status() == 200);
    Workshop workshop = workshop(edge, leader);
    List<Participant> attendees = workload(workshop, edge, 3);
    long base = new EventLog(cluster.coreDataDir(leader.name)).maxSeq(workshop.codelabId);
    Promise<Void> stop = Promise.promise();
    List<Future<Void>> sending = attendees.stream().map(a -> a.keepSending(stop.future(), SEND_INTERVAL_MS)).toList();
    awaitTrue("every attendee has some writes acknowledged", () -> attendees.stream().allMatch(a -> a.acked.size() >= 5));
    WriteProbe probe = new WriteProbe(vertx, edge.httpPort(), workshop.admin, workshop.codelabId);
    probe.start(PROBE_INTERVAL_MS);
    return new CoreRun(cores, peers, options.toArray(String[]::new), leader, workshop, attendees, base, System.nanoTime(), stop,
      sending, probe, partition);
  }

  private List<EventLog.Row> verifyCoreFiles(String scenario, CoreRun run, List<NodeProcess> cores) throws Exception {
    // A leader cut off from the others holds the writes it was given until it finds it has lost the majority.
    return verifyCoreFiles(scenario, run, cores, run.partition == null);
  }

  /**
   * Each core node's own file holds every acknowledged write once, and all of them hold the same events; unless
   * {@code busyAtOnce}, a 503 may come as late as the bus timeout lets it.
   */
  private List<EventLog.Row> verifyCoreFiles(String scenario, CoreRun run, List<NodeProcess> cores, boolean busyAtOnce)
    throws Exception {
    List<EventLog> files = cores.stream().map(core -> new EventLog(cluster.coreDataDir(core.name))).toList();
    awaitTrue("the core nodes' files hold the same events", () -> sameEvents(files, run.workshop.codelabId));
    List<EventLog.Row> rows = null;
    for (int i = 0; i < files.size(); i++) {
      rows = verifyNothingLost(scenario + " " + cores.get(i).name, run.workshop, files.get(i), run.base);
      verifyProbe(scenario + " " + cores.get(i).name, run.probe, rows, busyAtOnce);
    }
    return rows;
  }

  private void awaitWritesAfter(List<Participant> attendees, long since) throws InterruptedException {
    awaitTrue("writes are acknowledged again", () -> attendees.stream()
      .allMatch(a -> a.ackedAtNanos.values().stream().filter(t -> t > since).count() >= 5));
  }

  /** Names of the files under a core node's replicated-log directory that start so. */
  private List<String> raftFiles(NodeProcess core, String prefix) {
    try (var paths = Files.walk(cluster.coreDataDir(core.name).resolve("raft"))) {
      return paths.map(path -> path.getFileName().toString()).filter(name -> name.startsWith(prefix)).toList();
    } catch (java.io.IOException | java.io.UncheckedIOException e) {
      return List.of();
    }
  }

  private boolean logged(NodeProcess node, String text) {
    return logText(work.resolve(node.name + ".log")).contains(text);
  }

  /**
   * What a node logged so far; empty while it cannot be read. Decoded leniently: a log still being
   * written may end in the middle of a character, which {@code Files.readString} refuses.
   */
  private static String logText(Path log) {
    try {
      return new String(Files.readAllBytes(log), StandardCharsets.UTF_8);
    } catch (java.io.IOException e) {
      return "";
    }
  }

  private static void deleteTree(Path dir) throws java.io.IOException {
    try (var paths = Files.walk(dir)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    }
  }

  private NodeProcess firstToLead(List<NodeProcess> cores, Duration timeout) throws InterruptedException {
    awaitTrue("a core node leads", timeout, () -> cores.stream().anyMatch(core -> core.printed(NodeProcess.WRITER)));
    return cores.stream().filter(core -> core.printed(NodeProcess.WRITER)).findFirst().orElseThrow();
  }

  private static boolean sameEvents(List<EventLog> files, String codelabId) {
    return files.stream().map(file -> eventsNow(file, codelabId)).distinct().count() == 1;
  }

  /** What the file holds at this moment; null while it cannot be read. */
  private static List<EventLog.Row> eventsNow(EventLog file, String codelabId) {
    try {
      return file.events(codelabId);
    } catch (SQLException e) {
      return null;
    }
  }

  /** A writer, a standby and an edge node, with attendees writing through the edge and a REST probe writing too. */
  private record WriterSwitch(NodeProcess writer, NodeProcess standby, Workshop workshop, List<Participant> attendees,
                              EventLog log, long base, Promise<Void> stop, List<Future<Void>> sending, WriteProbe probe) {
    void stopSending() {
      stop.complete();
      Future.all(sending).await();
    }
  }

  private WriterSwitch writerSwitch(String scenario, long probeIntervalMs) throws Exception {
    cluster = LoopbackCluster.create(work, 3);
    long launched = System.nanoTime();
    NodeProcess writer = cluster.start("writer", "persistence", NODE_OPTIONS);
    writer.await(NodeProcess.WRITER, START);
    NodeProcess standby = cluster.start("standby", "persistence", NODE_OPTIONS);
    NodeProcess edge = cluster.start("edge", "api,bridge", NODE_OPTIONS);
    figure(scenario, "cluster formation, writer first, then standby and edge, to all ready",
      formation(launched, writer, standby, edge));
    Workshop workshop = workshop(edge, writer);
    List<Participant> attendees = workload(workshop, edge, 3);
    EventLog log = new EventLog(cluster.dataDir);
    long base = log.maxSeq(workshop.codelabId);
    Promise<Void> stop = Promise.promise();
    List<Future<Void>> sending = attendees.stream().map(a -> a.keepSending(stop.future(), SEND_INTERVAL_MS)).toList();
    awaitTrue("every attendee has some writes acknowledged", () -> attendees.stream().allMatch(a -> a.acked.size() >= 5));

    WriteProbe probe = new WriteProbe(vertx, edge.httpPort(), workshop.admin, workshop.codelabId);
    probe.start(probeIntervalMs);
    return new WriterSwitch(writer, standby, workshop, attendees, log, base, stop, sending, probe);
  }

  /**
   * Every acknowledged write is in the database once, at the seq its acknowledgement gave; seqs
   * are contiguous; each client's view, live plus replayed, equals what the database lets it see.
   */
  private List<EventLog.Row> verifyNothingLost(String scenario, Workshop workshop, EventLog log, long base) throws Exception {
    for (Participant participant : participants) {
      participant.catchUp().await();
    }
    List<EventLog.Row> rows = log.events(workshop.codelabId);
    long max = rows.get(rows.size() - 1).seq();
    assertThat(rows.stream().map(EventLog.Row::seq).toList()).as("seqs").isEqualTo(LongStream.rangeClosed(1, max).boxed().toList());
    Map<String, Long> seqByEventId = rows.stream().filter(row -> row.eventId() != null)
      .collect(Collectors.toMap(EventLog.Row::eventId, EventLog.Row::seq));
    for (Participant participant : participants) {
      assertThat(participant.acked).as("acknowledged writes of %s at their seq", participant.name)
        .allSatisfy((eventId, seq) -> assertThat(seqByEventId.get(eventId)).isEqualTo(seq));
      assertThat(seqByEventId.keySet().stream().filter(eventId -> eventId.startsWith(participant.name + "-")).count())
        .as("writes of %s in the database, all acknowledged", participant.name).isEqualTo(participant.acked.size());
      assertThat(participant.events.headMap(max, true).entrySet().stream()
        .map(e -> e.getKey() + " " + e.getValue().event().getString("type")).toList())
        .as("view of %s", participant.name)
        .isEqualTo(rows.stream().filter(row -> row.visibleTo(participant)).map(row -> row.seq() + " " + row.type()).toList());
    }
    assertThat(log.count("SELECT count(*) FROM chat_messages WHERE codelab_id = ?", workshop.codelabId))
      .as("chat messages, one per chat event")
      .isEqualTo(rows.stream().filter(row -> row.type().equals("chat.posted")).count());
    figure(scenario, "acknowledged writes", participants.stream().mapToInt(p -> p.acked.size()).sum());
    figure(scenario, "delivery", delivery(base, max, rows));
    return rows;
  }

  /** Each write the probe got a success for is in the database once, at its seq; only 503 and 504 failed. */
  private void verifyProbe(String scenario, WriteProbe probe, List<EventLog.Row> rows) {
    verifyProbe(scenario, probe, rows, true);
  }

  /** Unless {@code busyAtOnce}, a 503 may come as late as the bus timeout lets it. */
  private void verifyProbe(String scenario, WriteProbe probe, List<EventLog.Row> rows, boolean busyAtOnce) {
    Map<String, Long> seqByEventId = rows.stream().filter(row -> row.eventId() != null)
      .collect(Collectors.toMap(EventLog.Row::eventId, EventLog.Row::seq));
    assertThat(probe.acked).isNotEmpty().allSatisfy((eventId, seq) -> assertThat(seqByEventId.get(eventId)).isEqualTo(seq));
    assertThat(seqByEventId.keySet().stream().filter(eventId -> eventId.startsWith("probe-")).count())
      .isEqualTo(probe.acked.size());
    assertThat(probe.attempts()).filteredOn(attempt -> attempt.status() == 0).as("REST writes with no HTTP answer")
      .isEmpty();
    assertThat(probe.attempts()).extracting(WriteProbe.Attempt::status).as("REST answers during the switch")
      .isSubsetOf(200, 201, 503, 504);
    assertThat(probe.attempts()).filteredOn(attempt -> attempt.status() == 503)
      .as(busyAtOnce ? "503s answered at once, not after a timeout" : "503s answered by the bus timeout")
      .allSatisfy(attempt -> assertThat(attempt.millis()).isLessThan(busyAtOnce ? BUS_TIMEOUT_MS : BUS_TIMEOUT_MS + 1_000));
    figure(scenario, "REST writes fired every " + PROBE_INTERVAL_MS + "+ ms across the switch, by answer",
      probe.attempts().stream().collect(Collectors.groupingBy(WriteProbe.Attempt::status,
          Collectors.summarizingLong(WriteProbe.Attempt::millis))).entrySet().stream()
        .map(e -> String.format(Locale.ROOT, "%d: %d, max %d ms", e.getKey(), e.getValue().getCount(), e.getValue().getMax()))
        .collect(Collectors.joining("; ")));
  }

  private List<Participant> workload(Workshop workshop, NodeProcess edge, int count) throws Exception {
    int port = bridgePort(edge);
    facilitator(workshop, port);
    List<Participant> attendees = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      attendees.add(attendee(workshop, "att" + i, edge, List.of(port)));
    }
    connectAll();
    return attendees;
  }

  private Workshop workshop(NodeProcess api) throws Exception {
    return workshop(api, api);
  }

  /** The admin signs in on an API node with the password the writer printed, and creates a codelab. */
  private Workshop workshop(NodeProcess api, NodeProcess writer) throws Exception {
    String password = writer.await(NodeProcess.PASSWORD, START).group(1);
    Http http = new Http(vertx, api.httpPort());
    String admin = http.login("admin", password);
    JsonArray steps = new JsonArray();
    for (int i = 0; i < 3; i++) {
      steps.add(new JsonObject().put("title", "Step " + i).put("markdown", "Step " + i));
    }
    return new Workshop(http.createCodelab(admin, new JsonObject().put("title", "Cluster").put("steps", steps)), admin, http);
  }

  private Participant facilitator(Workshop workshop, int bridgePort) {
    Participant facilitator = new Participant(vertx, "fac", workshop.admin, workshop.codelabId, null, List.of(bridgePort), 0);
    participants.add(facilitator);
    return facilitator;
  }

  private Participant attendee(Workshop workshop, String nickname, NodeProcess api, List<Integer> bridgePorts)
    throws Exception {
    return attendee(workshop, nickname, api, bridgePorts, 0);
  }

  private Participant attendee(Workshop workshop, String nickname, NodeProcess api, List<Integer> bridgePorts, int home)
    throws Exception {
    JsonObject joined = new Http(vertx, api.httpPort()).join(workshop.codelabId, nickname, "code-" + nickname);
    Participant attendee = new Participant(vertx, nickname, joined.getString("token"), workshop.codelabId,
      joined.getJsonObject("attendee").getString("id"), bridgePorts, home);
    participants.add(attendee);
    return attendee;
  }

  private void connectAll() {
    Future.all(participants.stream().map(Participant::connect).toList()).await();
  }

  private int bridgePort(NodeProcess api) throws InterruptedException {
    String url = new Http(vertx, api.httpPort()).get("/api/realtime", null).json().getString("url");
    return Integer.parseInt(url.replaceAll(".*:(\\d+)/eventbus$", "$1"));
  }

  private static String formation(long launched, NodeProcess... nodes) throws InterruptedException {
    long last = 0;
    for (NodeProcess node : nodes) {
      last = Math.max(last, node.printedAt(NodeProcess.READY, START));
    }
    return ms(last - launched);
  }

  /** Live and replayed shares of the events each client may see after base, summed over clients. */
  private String delivery(long base, long max, List<EventLog.Row> rows) {
    long expected = 0;
    long live = 0;
    long replayed = 0;
    for (Participant participant : participants) {
      for (EventLog.Row row : rows) {
        if (row.seq() > base && row.seq() <= max && row.visibleTo(participant)) {
          expected++;
          Participant.Received received = participant.events.get(row.seq());
          if (received != null && received.live()) {
            live++;
          } else if (received != null) {
            replayed++;
          }
        }
      }
    }
    return String.format(Locale.ROOT, "%.2f%% (live %.2f%% + replayed %.2f%%) of %d events x clients",
      100.0 * (live + replayed) / expected, 100.0 * live / expected, 100.0 * replayed / expected, expected);
  }

  private static List<Long> liveSeqs(Participant participant, long base, long max) {
    return participant.events.subMap(base, false, max, true).entrySet().stream()
      .filter(e -> e.getValue().live()).map(Map.Entry::getKey).toList();
  }

  private static List<Long> latencies(List<Participant> receivers, Map<String, Long> sentAt) {
    List<Long> latencies = new ArrayList<>();
    for (Participant receiver : receivers) {
      receiver.events.values().stream().filter(Participant.Received::live).forEach(received -> {
        String eventId = received.event().getString("eventId");
        Long sent = eventId == null ? null : sentAt.get(eventId);
        if (sent != null) {
          latencies.add(received.nanos() - sent);
        }
      });
    }
    latencies.sort(Comparator.naturalOrder());
    return latencies;
  }

  /** Per event and remote socket: when it arrived there minus when it arrived at the socket on the writer's node. */
  private static List<Long> hops(Participant local, List<Participant> remotes, Set<String> eventIds) {
    List<Long> hops = new ArrayList<>();
    local.events.values().stream().filter(Participant.Received::live)
      .filter(received -> received.event().getString("eventId") != null
        && eventIds.contains(received.event().getString("eventId"))).forEach(here -> {
        long seq = here.event().getLong("seq");
        remotes.stream().map(remote -> remote.events.get(seq)).filter(there -> there != null && there.live())
          .forEach(there -> hops.add(there.nanos() - here.nanos()));
      });
    hops.sort(Comparator.naturalOrder());
    return hops;
  }

  private static long percentile(List<Long> sorted, int percent) {
    return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(percent / 100.0 * sorted.size()) - 1));
  }

  private static String millis(List<Long> sorted) {
    return String.format(Locale.ROOT, "%.2f / %.2f (%d deliveries)", percentile(sorted, 50) / 1e6,
      percentile(sorted, 99) / 1e6, sorted.size());
  }

  private static List<Participant.Failure> failuresAfter(List<Participant> attendees, long since) {
    return attendees.stream().flatMap(a -> List.copyOf(a.failures).stream())
      .filter(failure -> failure.atNanos() >= since - TimeUnit.SECONDS.toNanos(3)).toList();
  }

  private static String failureSummary(List<Participant.Failure> failures) {
    return failures.stream().collect(Collectors.groupingBy(Participant.Failure::code,
        Collectors.summarizingLong(Participant.Failure::millis)))
      .entrySet().stream().map(e -> String.format(Locale.ROOT, "%d: %d attempts, max %d ms", e.getKey(),
        e.getValue().getCount(), e.getValue().getMax()))
      .collect(Collectors.joining("; ", "", failures.isEmpty() ? "none" : ""));
  }

  private static long firstAckAfter(List<Participant> attendees, long since) {
    return attendees.stream().flatMap(a -> a.ackedAtNanos.values().stream()).filter(t -> t > since)
      .min(Long::compare).orElseThrow();
  }

  private static String ms(long nanos) {
    return TimeUnit.NANOSECONDS.toMillis(nanos) + " ms";
  }

  private static void figure(String scenario, String name, Object value) {
    System.out.println("CLUSTER-FIGURE " + scenario + ": " + name + ": " + value);
  }

  private void awaitTrue(String what, BooleanSupplier condition) throws InterruptedException {
    awaitTrue(what, SETTLE, condition);
  }

  private void awaitTrue(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("Not within " + timeout.toSeconds() + " s: " + what + "; clients: "
          + participants.stream().map(Participant::toString).collect(Collectors.joining("; ")) + lastWarnings());
      }
      TimeUnit.MILLISECONDS.sleep(50);
    }
  }

  /** What each node warned of last: a CI run keeps no node logs, so a failure carries them. */
  private String lastWarnings() {
    try (var files = Files.list(work)) {
      return files.filter(file -> file.getFileName().toString().endsWith(".log")).sorted()
        .map(file -> "\n--- last warnings of " + file.getFileName() + "\n" + lastWarnings(file))
        .collect(Collectors.joining());
    } catch (java.io.IOException e) {
      return "";
    }
  }

  private static String lastWarnings(Path log) {
    List<String> warnings = logText(log).lines().filter(line -> line.contains(" WARN ") || line.contains(" ERROR ")).toList();
    return String.join("\n", warnings.subList(Math.max(0, warnings.size() - 15), warnings.size()));
  }

  /** Paces the announcements so their latency is not queueing behind each other. */
  private void pause(long millis) {
    Promise<Void> timer = Promise.promise();
    vertx.setTimer(millis, id -> timer.complete());
    timer.future().await();
  }
}
