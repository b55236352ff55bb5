package org.cardiogate.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.cardiogate.mqtt.MqttPublisher.Kind;
import org.cardiogate.mqtt.TestSubscriber.Received;
import org.cardiogate.signal.AamiClass;
import org.cardiogate.signal.Beat;
import org.cardiogate.signal.CardiacEvent;
import org.cardiogate.signal.EventType;
import org.cardiogate.signal.Vital;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class MqttPublisherTest {
    static final Duration WAIT = Duration.ofSeconds(20);
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-21T08:30:00.125Z"), ZoneOffset.UTC);
    static final String TS = "2026-11-21T08:30:00.125Z";

    static EmbeddedBroker broker;

    @BeforeAll
    static void startBroker() {
        broker = EmbeddedBroker.startOnFreePort();
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    static Vital heartRate(String stream, double bpm, long sample) {
        return new Vital(stream, Vital.HEART_RATE, bpm, "bpm", sample, sample * 2_777_778L, "ecg");
    }

    static Beat beat(String stream, long sample, AamiClass cls, double rr, double hr) {
        return new Beat(stream, sample, sample * 2_777_778L, cls, rr, hr);
    }

    static List<Long> seqs(List<Received> messages) {
        return messages.stream().map(m -> m.json().get("seq").asLong()).toList();
    }

    @Test
    void publishesVitalsBeatsAndEventsWithEveryContractField() throws Exception {
        MqttTopics topics = new MqttTopics("bed-1");
        try (TestSubscriber sub = new TestSubscriber(broker.serverUri(), "sub-fields", topics.allFilter());
             MqttPublisher publisher = MqttPublisher.start(MqttSettings.of(broker.serverUri(), "bed-1"), CLOCK)) {
            await().atMost(WAIT).until(publisher::isConnected);

            publisher.onVital(heartRate("ecg", 72.5, 360_000));
            publisher.onVital(new Vital("ecg", Vital.HEART_RATE, Double.NaN, "bpm", 360_360, 1_000_000_000L, "ecg"));
            publisher.onBeat(beat("ecg", 360_100, AamiClass.Q, Double.NaN, Double.NaN));
            publisher.onBeat(beat("ecg", 360_391, AamiClass.V, 0.8083, 74.2));
            publisher.onEvent(new CardiacEvent("ecg", EventType.BRADY, 359_000, -1, 997_222_222_000L, "HR 38 bpm < 40 bpm"));
            publisher.onEvent(new CardiacEvent("ecg", EventType.LEAD_OFF, 359_500, 359_900, 998_611_111_000L, null));

            await().atMost(WAIT).until(() -> sub.all().size() >= 7);
            await().atMost(WAIT).until(() -> publisher.publishedCount() == 6);
            assertThat(publisher.publishedCount(Kind.VITAL)).isEqualTo(2);
            assertThat(publisher.publishedCount(Kind.BEAT)).isEqualTo(2);
            assertThat(publisher.publishedCount(Kind.EVENT)).isEqualTo(2);
            assertThat(publisher.droppedCount()).isZero();

            List<Received> vitals = sub.on("cardiogate/v1/bed-1/streams/ecg/vitals");
            assertThat(vitals).hasSize(2).allSatisfy(m -> assertThat(m.qos()).isEqualTo(MqttTopics.VITALS_QOS));
            JsonNode hr = vitals.get(0).json();
            assertThat(hr.get("v").asInt()).isEqualTo(1);
            assertThat(hr.get("gatewayId").asText()).isEqualTo("bed-1");
            assertThat(hr.get("streamId").asText()).isEqualTo("ecg");
            assertThat(hr.get("seq").asLong()).isEqualTo(1);
            assertThat(hr.get("sample").asLong()).isEqualTo(360_000);
            assertThat(hr.get("t_ns").asLong()).isEqualTo(360_000 * 2_777_778L);
            assertThat(hr.get("ts").asText()).isEqualTo(TS);
            assertThat(hr.get("name").asText()).isEqualTo("heart_rate");
            assertThat(hr.get("value").asDouble()).isEqualTo(72.5);
            assertThat(hr.get("unit").asText()).isEqualTo("bpm");
            assertThat(hr.get("source").asText()).isEqualTo("ecg");
            JsonNode unknown = vitals.get(1).json();
            assertThat(unknown.get("seq").asLong()).isEqualTo(2);
            assertThat(unknown.get("value").isNull()).as("NaN is written as null").isTrue();

            List<Received> beats = sub.on("cardiogate/v1/bed-1/streams/ecg/beats");
            assertThat(seqs(beats)).containsExactly(1L, 2L);
            JsonNode first = beats.get(0).json();
            assertThat(first.get("class").asText()).isEqualTo("Q");
            assertThat(first.get("rr_s").isNull()).isTrue();
            assertThat(first.get("hr_bpm").isNull()).isTrue();
            JsonNode pvc = beats.get(1).json();
            assertThat(pvc.get("sample").asLong()).isEqualTo(360_391);
            assertThat(pvc.get("class").asText()).isEqualTo("V");
            assertThat(pvc.get("rr_s").asDouble()).isEqualTo(0.8083);
            assertThat(pvc.get("hr_bpm").asDouble()).isEqualTo(74.2);
            assertThat(pvc.get("ts").asText()).isEqualTo(TS);

            List<Received> events = sub.on("cardiogate/v1/bed-1/streams/ecg/events");
            assertThat(events).allSatisfy(m -> assertThat(m.qos()).isEqualTo(MqttTopics.EVENTS_QOS));
            assertThat(seqs(events)).containsExactly(1L, 2L);
            JsonNode brady = events.get(0).json();
            assertThat(brady.get("type").asText()).isEqualTo("BRADY");
            assertThat(brady.get("sample").asLong()).isEqualTo(359_000);
            assertThat(brady.get("t_ns").asLong()).isEqualTo(997_222_222_000L);
            assertThat(brady.get("ongoing").asBoolean()).isTrue();
            assertThat(brady.get("end_sample").isNull()).isTrue();
            assertThat(brady.get("detail").asText()).isEqualTo("HR 38 bpm < 40 bpm");
            JsonNode leadOff = events.get(1).json();
            assertThat(leadOff.get("type").asText()).isEqualTo("LEAD_OFF");
            assertThat(leadOff.get("ongoing").asBoolean()).isFalse();
            assertThat(leadOff.get("end_sample").asLong()).isEqualTo(359_900);
            assertThat(leadOff.get("detail").asText()).isEmpty();
        }
    }

    @Test
    void numbersEachTopicOnItsOwnWithoutGaps() throws Exception {
        MqttTopics topics = new MqttTopics("bed-2");
        try (TestSubscriber sub = new TestSubscriber(broker.serverUri(), "sub-seq", topics.allFilter());
             MqttPublisher publisher = MqttPublisher.start(MqttSettings.of(broker.serverUri(), "bed-2"), CLOCK)) {
            await().atMost(WAIT).until(publisher::isConnected);
            for (int i = 0; i < 50; i++) {
                publisher.onBeat(beat("ecg", 1000L + 300L * i, AamiClass.N, 0.83, 72));
                if (i % 2 == 0) {
                    publisher.onBeat(beat("ppg", 1010L + 300L * i, AamiClass.Q, 0.83, 72));
                }
                if (i % 5 == 0) {
                    publisher.onVital(heartRate("ecg", 72, 1000L + 300L * i));
                }
            }
            await().atMost(WAIT).until(() -> publisher.publishedCount() == 50 + 25 + 10);
            await().atMost(WAIT).until(() -> sub.all().size() >= 85);
            assertThat(seqs(sub.on(topics.beats("ecg")))).containsExactlyElementsOf(range(1, 50));
            assertThat(seqs(sub.on(topics.beats("ppg")))).containsExactlyElementsOf(range(1, 25));
            assertThat(seqs(sub.on(topics.vitals("ecg")))).containsExactlyElementsOf(range(1, 10));
            assertThat(sub.on(topics.beats("ecg")).get(49).json().get("sample").asLong()).isEqualTo(1000L + 300L * 49);
        }
    }

    static List<Long> range(long from, long to) {
        return java.util.stream.LongStream.rangeClosed(from, to).boxed().toList();
    }

    @Test
    void publishesARetainedOnlineStatusThatLateSubscribersReceive() throws Exception {
        MqttTopics topics = new MqttTopics("bed-3");
        try (MqttPublisher publisher = MqttPublisher.start(
                MqttSettings.of(broker.serverUri(), "bed-3").withClientId("cg-bed-3"), CLOCK)) {
            await().atMost(WAIT).until(publisher::isConnected);
            try (TestSubscriber first = new TestSubscriber(broker.serverUri(), "sub-status-1", topics.status())) {
                await().atMost(WAIT).until(() -> !first.all().isEmpty());
            }
            try (TestSubscriber late = new TestSubscriber(broker.serverUri(), "sub-status-2", topics.status())) {
                await().atMost(WAIT).until(() -> !late.all().isEmpty());
                JsonNode status = late.all().getFirst().json();
                assertThat(status.get("v").asInt()).isEqualTo(1);
                assertThat(status.get("state").asText()).isEqualTo("online");
                assertThat(status.get("gatewayId").asText()).isEqualTo("bed-3");
                assertThat(status.get("clientId").asText()).isEqualTo("cg-bed-3");
                assertThat(status.get("ts").asText()).isEqualTo(TS);
            }
        }
    }

    @Test
    void brokerPublishesTheOfflineWillWhenTheConnectionIsCutAndThePublisherComesBackOnline() throws Exception {
        MqttTopics topics = new MqttTopics("bed-4");
        try (TcpRelay relay = new TcpRelay(broker.port());
             TestSubscriber sub = new TestSubscriber(broker.serverUri(), "sub-will", topics.allFilter());
             MqttPublisher publisher = MqttPublisher.start(MqttSettings.of(relay.serverUri(), "bed-4"), CLOCK)) {
            await().atMost(WAIT).until(() -> states(sub, topics).contains("online"));
            publisher.onBeat(beat("ecg", 100, AamiClass.N, 0.8, 75));
            await().atMost(WAIT).until(() -> sub.on(topics.beats("ecg")).size() == 1);

            relay.refuse(true);
            relay.cut();

            // the embedded broker delivers the will twice (see EmbeddedBroker.RetainedWills): once is what counts
            await().atMost(WAIT).until(() -> states(sub, topics).size() >= 2);
            assertThat(states(sub, topics)).first().isEqualTo("online");
            assertThat(states(sub, topics).subList(1, states(sub, topics).size())).containsOnly("offline");
            JsonNode will = sub.on(topics.status()).get(1).json();
            assertThat(will.get("reason").asText()).isEqualTo("connection_lost");
            assertThat(will.get("gatewayId").asText()).isEqualTo("bed-4");
            assertThat(will.has("ts")).as("a will is written at connect time, a ts in it would be stale").isFalse();
            await().atMost(WAIT).until(() -> !publisher.isConnected());
            try (TestSubscriber late = new TestSubscriber(broker.serverUri(), "sub-will-late", topics.status())) {
                await().atMost(WAIT).until(() -> !late.all().isEmpty());
                assertThat(late.all().getFirst().json().get("state").asText()).as("the will is retained").isEqualTo("offline");
            }

            publisher.onBeat(beat("ecg", 400, AamiClass.N, 0.8, 75));
            await().atMost(WAIT).until(() -> publisher.pendingCount() == 1 && publisher.journaledCount() == 2);
            relay.refuse(false);

            await().atMost(WAIT).until(() -> states(sub, topics).getLast().equals("online"));
            await().atMost(WAIT).until(() -> sub.on(topics.beats("ecg")).size() == 2);
            assertThat(seqs(sub.on(topics.beats("ecg")))).containsExactly(1L, 2L);
            assertThat(publisher.isConnected()).isTrue();
        }
    }

    static List<String> states(TestSubscriber sub, MqttTopics topics) {
        return sub.on(topics.status()).stream().map(m -> m.json().get("state").asText()).toList();
    }

    static List<String> withoutRepeats(List<String> states) {
        List<String> out = new java.util.ArrayList<>();
        for (String s : states) {
            if (out.isEmpty() || !out.getLast().equals(s)) {
                out.add(s);
            }
        }
        return out;
    }

    @Test
    void closeSendsWhatIsQueuedThenARetainedShutdownStatus() throws Exception {
        MqttTopics topics = new MqttTopics("bed-5");
        try (TestSubscriber sub = new TestSubscriber(broker.serverUri(), "sub-close", topics.allFilter())) {
            MqttPublisher publisher = MqttPublisher.start(MqttSettings.of(broker.serverUri(), "bed-5"), CLOCK);
            await().atMost(WAIT).until(() -> states(sub, topics).contains("online"));
            for (int i = 0; i < 200; i++) {
                publisher.onBeat(beat("ecg", 300L * i, AamiClass.N, 0.83, 72));
            }
            publisher.close();
            assertThat(publisher.isConnected()).isFalse();
            assertThat(publisher.droppedCount()).isZero();
            assertThat(publisher.publishedCount(Kind.BEAT)).isEqualTo(200);

            // a QoS 1 status may reach the subscriber twice (a redelivery is the same state): consecutive repeats
            // are collapsed; the failure message shows every status message received
            await().atMost(WAIT).untilAsserted(() -> assertThat(withoutRepeats(states(sub, topics)))
                    .as("status messages received: %s", states(sub, topics)).containsExactly("online", "offline"));
            assertThat(sub.on(topics.status()).getLast().json().get("reason").asText()).isEqualTo("shutdown");
            assertThat(seqs(sub.on(topics.beats("ecg")))).containsExactlyElementsOf(range(1, 200));

            publisher.onBeat(beat("ecg", 0, AamiClass.N, 0.83, 72));
            assertThat(publisher.droppedCount(Kind.BEAT)).as("offered after close").isEqualTo(1);
        }
    }

    @Test
    void itemsProducedWhileTheBrokerIsUnreachableWaitInTheOutboxAndArriveInOrderAfterwards() throws Exception {
        MqttTopics topics = new MqttTopics("bed-6");
        try (TcpRelay relay = new TcpRelay(broker.port());
             TestSubscriber sub = new TestSubscriber(broker.serverUri(), "sub-gap", topics.allFilter())) {
            relay.refuse(true);
            try (MqttPublisher publisher = MqttPublisher.start(
                    MqttSettings.of(relay.serverUri(), "bed-6").withQueueCapacity(2), CLOCK)) {
                for (int i = 1; i <= 5; i++) {
                    publisher.onBeat(beat("ecg", 300L * i, AamiClass.N, 0.83, 72));
                    await().atMost(WAIT).until(() -> publisher.queuedCount() == 0);
                }
                await().atMost(WAIT).until(() -> publisher.pendingCount() == 5);
                assertThat(publisher.droppedCount()).isZero();

                relay.refuse(false);
                await().atMost(WAIT).until(() -> sub.on(topics.beats("ecg")).size() == 5);
                publisher.onBeat(beat("ecg", 300L * 6, AamiClass.N, 0.83, 72));
                await().atMost(WAIT).until(() -> sub.on(topics.beats("ecg")).size() == 6);
                assertThat(seqs(sub.on(topics.beats("ecg")))).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
                assertThat(sub.on(topics.beats("ecg")).get(5).json().get("sample").asLong()).isEqualTo(1800);
                await().atMost(WAIT).until(() -> publisher.pendingCount() == 0);
            }
        }
    }

    @Test
    void itemsThatCannotBePublishedAreCountedAndDoNotStopTheOthers() throws Exception {
        MqttTopics topics = new MqttTopics("bed-7");
        try (TestSubscriber sub = new TestSubscriber(broker.serverUri(), "sub-reject", topics.allFilter());
             MqttPublisher publisher = MqttPublisher.start(MqttSettings.of(broker.serverUri(), "bed-7"), CLOCK)) {
            await().atMost(WAIT).until(publisher::isConnected);
            publisher.onBeat(null);
            publisher.onVital(new Vital(null, Vital.HEART_RATE, 60, "bpm", 0, 0, "ecg"));
            publisher.onBeat(beat("ecg/lead II", 10, AamiClass.N, 0.8, 75));
            publisher.onBeat(beat("ecg", 20, AamiClass.N, 0.8, 75));
            await().atMost(WAIT).until(() -> sub.on(topics.beats("ecg")).size() == 1);
            await().atMost(WAIT).until(() -> publisher.rejectedCount() == 3);
            assertThat(sub.all()).extracting(Received::topic).doesNotContain("cardiogate/v1/bed-7/streams/ecg/lead II/beats");
        }
    }
}
