package org.cardiogate.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.cardiogate.signal.AamiClass;
import org.cardiogate.signal.Beat;
import org.cardiogate.signal.CardiacEvent;
import org.cardiogate.signal.EventType;
import org.cardiogate.signal.Vital;
import org.junit.jupiter.api.Test;

class LiveStateTest {

    private static Vital heartRate(String stream, double bpm, long sample) {
        return new Vital(stream, Vital.HEART_RATE, bpm, "bpm", sample, sample * 2_777_778L, "ecg");
    }

    private static Beat beat(long sample) {
        return new Beat("ecg", sample, sample * 2_777_778L, AamiClass.N, 0.8, 75.0);
    }

    private static List<LiveMessage> drain(LiveSubscription subscription) throws InterruptedException {
        List<LiveMessage> out = new ArrayList<>();
        LiveMessage m;
        while ((m = subscription.next(Duration.ZERO)) != null) {
            out.add(m);
        }
        return out;
    }

    @Test
    void keepsTheLatestHeartRateOfEachStream() {
        LiveState state = new LiveState(LiveLimits.DEFAULTS);
        state.onVital(heartRate("ecg", 70, 360));
        state.onVital(heartRate("ppg", 68.5, 100));
        state.onVital(heartRate("ecg", 72, 720));
        state.doWork();

        LiveSnapshot snapshot = state.snapshot();
        assertThat(snapshot.heartRates()).containsOnlyKeys("ecg", "ppg");
        assertThat(snapshot.heartRates().get("ecg").bpm()).isEqualTo(72.0);
        assertThat(snapshot.heartRates().get("ecg").sample()).isEqualTo(720);
        assertThat(snapshot.heartRates().get("ppg").bpm()).isEqualTo(68.5);
    }

    @Test
    void ignoresVitalsOtherThanHeartRate() {
        LiveState state = new LiveState(LiveLimits.DEFAULTS);
        state.onVital(new Vital("ppg", "spo2", 97, "%", 10, 10, "ppg"));
        state.doWork();
        assertThat(state.snapshot().heartRates()).isEmpty();
    }

    @Test
    void keepsOnlyTheConfiguredNumberOfRecentBeatsAndEvents() {
        LiveState state = new LiveState(new LiveLimits(1024, 256, 5, 3, 16, 4));
        for (int i = 1; i <= 12; i++) {
            state.onBeat(beat(i * 300L));
            state.onEvent(new CardiacEvent("ecg", EventType.NOISE, i, i + 10, i, "event " + i));
        }
        state.doWork();

        LiveSnapshot snapshot = state.snapshot();
        assertThat(snapshot.beats()).extracting(Beat::sample).containsExactly(2400L, 2700L, 3000L, 3300L, 3600L);
        assertThat(snapshot.events()).extracting(CardiacEvent::detail).containsExactly("event 10", "event 11", "event 12");
    }

    @Test
    void countsDroppedUpdatesWhenNothingDrainsTheInbox() {
        LiveState state = new LiveState(new LiveLimits(64, 16, 5, 5, 16, 4));
        for (int i = 0; i < 1000; i++) {
            state.onVital(heartRate("ecg", 60 + i % 40, i));
            state.onBeat(beat(i));
        }
        assertThat(state.snapshot().updatesDropped()).isEqualTo(2000 - 64);

        state.doWork();
        assertThat(state.snapshot().heartRates().get("ecg").sample()).isEqualTo(31);
    }

    @Test
    void aFloodOfBeatsCannotPushOutAnAlarm() {
        LiveState state = new LiveState(new LiveLimits(64, 16, 5, 5, 16, 4));
        for (int i = 0; i < 10_000; i++) {
            state.onBeat(beat(i));
        }
        state.onEvent(new CardiacEvent("ecg", EventType.ASYSTOLE, 9000, -1, 9000, "no beat for 4.2 s"));
        state.doWork();

        LiveSnapshot snapshot = state.snapshot();
        assertThat(snapshot.eventsDropped()).isZero();
        assertThat(snapshot.events()).extracting(CardiacEvent::type).containsExactly(EventType.ASYSTOLE);
        assertThat(snapshot.updatesDropped()).isEqualTo(10_000 - 64);
    }

    @Test
    void newSubscriberFirstReceivesStatusAndCurrentHeartRatesThenLiveUpdates() throws Exception {
        LiveState state = new LiveState(LiveLimits.DEFAULTS);
        state.setStatus("gatewayId", "bed-7");
        state.onVital(heartRate("ecg", 64, 100));
        state.doWork();

        LiveSubscription subscription = state.subscribe().orElseThrow();
        state.doWork();
        assertThat(drain(subscription)).extracting(LiveMessage::name).containsExactly("status", "streams", "hr");

        state.onVital(heartRate("ecg", 72, 460));
        state.onBeat(beat(460));
        state.onEvent(new CardiacEvent("ecg", EventType.TACHY, 400, -1, 400, "HR 131 bpm > 120 bpm"));
        state.setStatus("mqtt", "connected");
        state.doWork();

        List<LiveMessage> live = drain(subscription);
        assertThat(live).extracting(LiveMessage::name).containsExactly("event", "hr", "beat", "status");
        assertThat(live.get(0).json()).contains("\"type\":\"TACHY\"").contains("\"ongoing\":true");
        assertThat(live.get(1).json()).contains("\"bpm\":72.0").contains("\"stream\":\"ecg\"");
        assertThat(live.get(2).json()).contains("\"beatClass\":\"N\"").contains("\"sample\":460");
        assertThat(live.get(3).json()).contains("\"gatewayId\":\"bed-7\"").contains("\"mqtt\":\"connected\"");
    }

    @Test
    void writesAnUnmeasurableHeartRateAsJsonNull() throws Exception {
        LiveState state = new LiveState(LiveLimits.DEFAULTS);
        LiveSubscription subscription = state.subscribe().orElseThrow();
        state.doWork();
        drain(subscription);

        state.onVital(heartRate("ecg", Double.NaN, 100));
        state.doWork();

        assertThat(drain(subscription)).singleElement()
                .extracting(LiveMessage::json).asString().contains("\"bpm\":null").doesNotContain("NaN");
        assertThat(LiveJson.state(state.snapshot())).contains("\"bpm\":null");
    }

    @Test
    void aSlowSubscriberLosesOnlyItsOwnMessages() throws Exception {
        LiveState state = new LiveState(new LiveLimits(1024, 16, 5, 5, 32, 4));
        LiveSubscription slow = state.subscribe().orElseThrow();
        LiveSubscription fast = state.subscribe().orElseThrow();
        int received = 0;
        for (int i = 0; i < 500; i++) {
            state.onVital(heartRate("ecg", 70, i));
            state.doWork();
            received += drain(fast).size();
        }

        assertThat(fast.dropped()).isZero();
        // status and streams on joining, then one heart rate each
        assertThat(received).isEqualTo(502);
        assertThat(slow.dropped()).isEqualTo(502 - 32);
        assertThat(slow.pending()).isEqualTo(32);
        assertThat(state.snapshot().clientDrops()).isEqualTo(slow.dropped());
    }

    @Test
    void refusesSubscribersBeyondTheLimitUntilOneLeaves() {
        LiveState state = new LiveState(new LiveLimits(16, 16, 5, 5, 16, 2));
        LiveSubscription first = state.subscribe().orElseThrow();
        state.subscribe().orElseThrow();
        assertThat(state.subscribe()).isEmpty();
        assertThat(state.snapshot().clients()).isEqualTo(2);

        first.close();
        first.close();
        assertThat(state.snapshot().clients()).isEqualTo(1);
        assertThat(state.subscribe()).isPresent();
    }

    @Test
    void closingASubscriptionWakesItsReader() throws Exception {
        LiveState state = new LiveState(LiveLimits.DEFAULTS);
        LiveSubscription subscription = state.subscribe().orElseThrow();
        Thread closer = Thread.ofVirtual().start(() -> {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            state.disconnectAll();
        });
        assertThat(subscription.next(Duration.ofMinutes(5))).isNull();
        assertThat(subscription.isOpen()).isFalse();
        closer.join();
    }

    @Test
    void rejectsABlankStatusKey() {
        LiveState state = new LiveState(LiveLimits.DEFAULTS);
        assertThatThrownBy(() -> state.setStatus(" ", "x")).hasMessageContaining("status key");
    }

    @Test
    void rejectsLimitsBelowOneNamingTheField() {
        assertThatThrownBy(() -> new LiveLimits(1024, 256, 0, 20, 256, 32))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'beatHistory'").hasMessageContaining("got 0");
    }

    @Test
    void pipelineCallsAllocateNothingOnTheCallingThread() {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        LiveState state = new LiveState(new LiveLimits(256, 64, 5, 5, 16, 4));
        Vital[] vitals = new Vital[200];
        Beat[] beats = new Beat[200];
        for (int i = 0; i < vitals.length; i++) {
            vitals[i] = heartRate("ecg", 60 + i % 30, i);
            beats[i] = beat(i);
        }
        CardiacEvent event = new CardiacEvent("ecg", EventType.NOISE, 1, 2, 1, "noisy");
        long allocated = 0;
        for (int round = 0; round < 300; round++) {
            long before = threads.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < vitals.length; i++) {
                state.onVital(vitals[i]);
                state.onBeat(beats[i]);
                state.onEvent(event);
            }
            long after = threads.getCurrentThreadAllocatedBytes();
            if (round >= 100) {
                allocated += after - before;
            }
            state.doWork();
        }
        assertThat(state.snapshot().updatesDropped()).isPositive();
        assertThat(allocated).isZero();
    }
}
