package org.cardiogate.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gateway process is killed with SIGKILL while it streams, with unacknowledged messages in flight and a backlog
 * in its outbox, then started again on the same outbox: every item that reached the journal is delivered, seq goes
 * on without a gap and without repeating, and the duplicates (acknowledged by the broker but not yet recorded as such)
 * are detected and dropped by the consumer.
 */
class GatewayCrashIT {
    static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path dir;
    final List<Process> children = new ArrayList<>();

    @AfterEach
    void killChildren() {
        children.forEach(Process::destroyForcibly);
    }

    record Child(Process process, AtomicLong journaled, List<String> lines) {
    }

    Child startChild(String uri, Path outbox, long startTick, int seconds) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                OutboxChildPublisher.class.getName(), uri, outbox.toString(), "bed-crash", Long.toString(startTick),
                Integer.toString(seconds)).redirectErrorStream(true).start();
        children.add(p);
        AtomicLong journaled = new AtomicLong(-1);
        List<String> lines = new CopyOnWriteArrayList<>();
        Thread.ofPlatform().daemon().start(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    if (line.startsWith("journaled ")) {
                        journaled.set(Long.parseLong(line.substring(10)));
                    } else {
                        lines.add(line);
                    }
                }
            } catch (IOException ignored) {
                // killed
            }
        });
        return new Child(p, journaled, lines);
    }

    @Test
    void deliversEveryJournaledItemWithoutGapsAfterTheGatewayIsKilledAndRestarted() throws Exception {
        MosquittoProcess.requireInstalled();
        try (MosquittoProcess broker = MosquittoProcess.start(dir, List.of());
             TcpRelay relay = new TcpRelay(broker.port())) {
            Map<String, Map<Long, Long>> firstSampleBySeq = new ConcurrentHashMap<>();
            GatewaySubscriber.Options options = GatewaySubscriber.Options.of(broker.tcpUri(), "consumer-crash")
                    .withGateways(List.of("bed-crash"));
            try (GatewaySubscriber consumer = GatewaySubscriber.connect(options, m -> {
                if (m.waveform() != null) {
                    firstSampleBySeq.computeIfAbsent(m.topic(), t -> new ConcurrentHashMap<>())
                            .put(m.seq(), m.waveform().firstSample());
                }
            })) {
                Path outbox = dir.resolve("outbox");
                Child first = startChild(relay.serverUri(), outbox, 0, 0);
                await().atMost(WAIT).until(() -> first.journaled().get() > 300);
                relay.refuse(true);
                relay.cut();
                long atCut = first.journaled().get();
                await().atMost(WAIT).until(() -> first.journaled().get() > atCut + 300);
                long journaledBeforeKill = first.journaled().get();
                first.process().destroyForcibly();
                assertThat(first.process().waitFor(10, TimeUnit.SECONDS)).isTrue();
                assertThat(first.process().exitValue()).as("killed by SIGKILL").isEqualTo(137);
                long receivedFromFirst = BrokerOutageIT.uniqueReceived(consumer, topics(consumer));

                Child second = startChild(broker.tcpUri(), outbox, 1_000_000, 2);
                assertThat(second.process().waitFor(60, TimeUnit.SECONDS)).as("restarted child finished").isTrue();
                String done = second.lines().stream().filter(l -> l.startsWith("done ")).findFirst()
                        .orElseThrow(() -> new AssertionError("no 'done' from the second child: " + second.lines()));
                long journaledBySecond = Long.parseLong(done.split(" ")[1]);
                assertThat(done).endsWith("pending 0");

                await().atMost(WAIT).until(() -> consumer.missingCount() == 0
                        && BrokerOutageIT.uniqueReceived(consumer, topics(consumer)) >= journaledBeforeKill + journaledBySecond);
                long unique = BrokerOutageIT.uniqueReceived(consumer, topics(consumer));
                Map<String, SeqTracker> trackers = consumer.trackers();
                assertThat(trackers).hasSizeGreaterThanOrEqualTo(6);
                for (Map.Entry<String, SeqTracker> e : trackers.entrySet()) {
                    SeqTracker t = e.getValue();
                    assertThat(t.first()).as("first seq on %s", e.getKey()).isEqualTo(1);
                    assertThat(t.missingCount()).as("missing on %s", e.getKey()).isZero();
                    assertThat(t.uniqueCount()).as("seq 1..highest all there on %s", e.getKey()).isEqualTo(t.highest());
                }
                for (Map.Entry<String, Map<Long, Long>> e : firstSampleBySeq.entrySet()) {
                    long previous = -1;
                    for (Map.Entry<Long, Long> s : new TreeMap<>(e.getValue()).entrySet()) {
                        assertThat(s.getValue()).as("%s seq %d carries a later block than the seq before it", e.getKey(),
                                s.getKey()).isGreaterThan(previous);
                        previous = s.getValue();
                    }
                }
                System.out.printf("crash: %d journaled before SIGKILL (reported), %d received before the restart, %d"
                                + " journaled after; %d unique received, %d duplicates detected and dropped%n",
                        journaledBeforeKill, receivedFromFirst, journaledBySecond, unique, consumer.duplicateCount());
            }
        }
    }

    /**
     * Eight SIGKILLs in a row on the same outbox, at random moments, half of them while the broker is unreachable
     * (so the kill lands on a backlog of unacknowledged items), then one clean run that drains: the outbox reopens
     * after every kill and every item any of the killed processes had reported as journaled reaches the consumer,
     * each topic's seq running 1..highest with no hole.
     */
    @Test
    void manyKillsInARowLoseNothingThatWasJournaled() throws Exception {
        MosquittoProcess.requireInstalled();
        java.util.Random random = new java.util.Random(20261122);
        try (MosquittoProcess broker = MosquittoProcess.start(dir, List.of());
             TcpRelay relay = new TcpRelay(broker.port())) {
            GatewaySubscriber.Options options = GatewaySubscriber.Options.of(broker.tcpUri(), "consumer-kills")
                    .withGateways(List.of("bed-crash"));
            try (GatewaySubscriber consumer = GatewaySubscriber.connect(options, m -> { })) {
                Path outbox = dir.resolve("outbox");
                long journaledByKilled = 0;
                int kills = 8;
                for (int i = 0; i < kills; i++) {
                    boolean offline = i % 2 == 1;
                    relay.refuse(offline);
                    if (offline) {
                        relay.cut();
                    }
                    Child child = startChild(relay.serverUri(), outbox, i * 1_000_000L, 0);
                    long floor = 50 + random.nextInt(250);
                    await().atMost(WAIT).until(() -> child.journaled().get() > floor);
                    Thread.sleep(random.nextInt(400));
                    long reported = child.journaled().get();
                    child.process().destroyForcibly();
                    assertThat(child.process().waitFor(10, TimeUnit.SECONDS)).isTrue();
                    assertThat(child.process().exitValue()).as("kill %d by SIGKILL", i).isEqualTo(137);
                    assertThat(child.lines()).as("kill %d: the child reported no error", i)
                            .noneMatch(l -> l.contains(" ERROR ") || l.startsWith("Exception in thread"));
                    journaledByKilled += reported;
                }
                relay.refuse(false);
                Child last = startChild(broker.tcpUri(), outbox, 99_000_000L, 2);
                assertThat(last.process().waitFor(90, TimeUnit.SECONDS)).as("draining child finished").isTrue();
                String done = last.lines().stream().filter(l -> l.startsWith("done ")).findFirst()
                        .orElseThrow(() -> new AssertionError("no 'done' from the draining child: " + last.lines()));
                assertThat(done).endsWith("pending 0");
                long total = journaledByKilled + Long.parseLong(done.split(" ")[1]);
                await().atMost(WAIT).until(() -> consumer.missingCount() == 0
                        && BrokerOutageIT.uniqueReceived(consumer, topics(consumer)) >= total);
                for (Map.Entry<String, SeqTracker> e : consumer.trackers().entrySet()) {
                    SeqTracker t = e.getValue();
                    assertThat(t.first()).as("first seq on %s", e.getKey()).isEqualTo(1);
                    assertThat(t.missingCount()).as("missing on %s", e.getKey()).isZero();
                    assertThat(t.uniqueCount()).as("seq 1..highest all there on %s", e.getKey()).isEqualTo(t.highest());
                }
                System.out.printf("%d kills: %d items reported journaled by the killed processes, %d in all; %d unique"
                                + " received, %d duplicates detected and dropped%n", kills, journaledByKilled, total,
                        BrokerOutageIT.uniqueReceived(consumer, topics(consumer)), consumer.duplicateCount());
            }
        }
    }

    static Map<String, AtomicLong> topics(GatewaySubscriber consumer) {
        Map<String, AtomicLong> m = new TreeMap<>();
        consumer.trackers().keySet().forEach(t -> m.put(t, new AtomicLong()));
        return m;
    }
}
