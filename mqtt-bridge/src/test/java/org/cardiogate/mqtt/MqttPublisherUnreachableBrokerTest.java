package org.cardiogate.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.cardiogate.mqtt.MqttPublisher.Kind;
import org.cardiogate.signal.AamiClass;
import org.cardiogate.signal.Beat;
import org.cardiogate.signal.CardiacEvent;
import org.cardiogate.signal.EventType;
import org.cardiogate.signal.Vital;
import org.junit.jupiter.api.Test;

/** The DSP-thread side of the publisher while no broker answers: it must return at once and count what it drops. */
class MqttPublisherUnreachableBrokerTest {

    /** A loopback port nobody listens on: connecting is refused. */
    static String refusedUri() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return "tcp://127.0.0.1:" + socket.getLocalPort();
        }
    }

    @Test
    void keepsEverythingInTheOutboxWhileNoBrokerAnswers() throws IOException {
        try (MqttPublisher publisher = MqttPublisher.start(
                MqttSettings.of(refusedUri(), "bed-u1").withQueueCapacity(8), Clock.systemUTC())) {
            for (int i = 0; i < 100; i++) {
                publisher.onVital(new Vital("ecg", Vital.HEART_RATE, 70, "bpm", i, i, "ecg"));
                publisher.onBeat(new Beat("ecg", i, i, AamiClass.N, 0.85, 70));
                while (publisher.queuedCount() > 4) {
                    Thread.onSpinWait();
                }
            }
            publisher.onEvent(new CardiacEvent("ecg", EventType.TACHY, 5, -1, 5, "HR 130 bpm > 120 bpm"));

            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> publisher.pendingCount() == 201);
            assertThat(publisher.isConnected()).isFalse();
            assertThat(publisher.pendingCount(Kind.VITAL)).isEqualTo(100);
            assertThat(publisher.pendingCount(Kind.BEAT)).isEqualTo(100);
            assertThat(publisher.pendingCount(Kind.EVENT)).isEqualTo(1);
            assertThat(publisher.journaledCount()).isEqualTo(201);
            assertThat(publisher.droppedCount()).isZero();
            assertThat(publisher.publishedCount()).isZero();
            assertThat(publisher.lastConnectionError()).as("the refused connection is explained")
                    .startsWith("cannot connect").contains("Connection refused");
        }
    }

    @Test
    void itemsStillQueuedAtCloseAreCountedAsDropped() throws IOException {
        MqttPublisher publisher = MqttPublisher.start(MqttSettings.of(refusedUri(), "bed-u2").withQueueCapacity(16),
                Clock.systemUTC());
        for (int i = 0; i < 5; i++) {
            publisher.onBeat(new Beat("ecg", i, i, AamiClass.N, 0.85, 70));
        }
        publisher.close();
        assertThat(publisher.droppedCount(Kind.BEAT)).isEqualTo(5);
        assertThat(publisher.queuedCount()).isZero();
    }

    @Test
    void offeringAllocatesNothingInSteadyState() throws IOException {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        Vital vital = new Vital("ecg", Vital.HEART_RATE, 70, "bpm", 1, 1, "ecg");
        Beat beat = new Beat("ecg", 1, 1, AamiClass.N, 0.85, 70);
        try (MqttPublisher publisher = MqttPublisher.start(
                MqttSettings.of(refusedUri(), "bed-u3").withQueueCapacity(64), Clock.systemUTC())) {
            for (int i = 0; i < 200_000; i++) {
                publisher.onVital(vital);
                publisher.onBeat(beat);
            }
            int calls = 100_000;
            long before = threads.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < calls / 2; i++) {
                publisher.onVital(vital);
                publisher.onBeat(beat);
            }
            long allocated = threads.getCurrentThreadAllocatedBytes() - before;
            // a boxed long, an Instant or a queue node would be at least 16 bytes per call
            assertThat(allocated).as("bytes allocated by %d offers", calls).isLessThan(calls);
            long offered = 400_000 + calls;
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> publisher.queuedCount() == 0
                    && publisher.journaledCount() + publisher.droppedFromQueueCount(Kind.VITAL)
                    + publisher.droppedFromQueueCount(Kind.BEAT) == offered);
        }
    }
}
