package org.cardiogate.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.cardiogate.signal.CardiacEvent;
import org.cardiogate.signal.Channel;
import org.cardiogate.signal.EventType;
import org.cardiogate.signal.ManualClock;
import org.cardiogate.signal.Modality;
import org.cardiogate.signal.SampleBlock;
import org.cardiogate.signal.StreamDescriptor;
import org.cardiogate.signal.Vital;
import org.junit.jupiter.api.Test;

class WaveformFeedTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final StreamDescriptor ECG = new StreamDescriptor("ecg", "test", Modality.ECG,
            List.of(new Channel("I", "mV"), new Channel("II", "mV")), 500);
    private static final StreamDescriptor PPG = new StreamDescriptor("ppg", "test", Modality.PPG,
            List.of(new Channel("IR", "au")), 100);

    private static void fillRamp(SampleBlock block, long first, int length) {
        block.begin(first, first * 2_000_000L);
        for (int i = 0; i < length; i++) {
            block.set(0, i, (first + i) * 0.002);
            block.set(1, i, -(first + i) * 0.004);
        }
        block.setLength(length);
    }

    private static List<JsonNode> waves(LiveSubscription s) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        LiveMessage m;
        while ((m = s.next(java.time.Duration.ZERO)) != null) {
            if (m.name().equals("wave")) {
                out.add(JSON.readTree(m.json()));
            }
        }
        return out;
    }

    @Test
    void averagesA500HzStreamDownTo250HzAndSendsMicrovoltIntegers() throws Exception {
        ManualClock clock = new ManualClock(0);
        LiveState state = new LiveState(LiveLimits.DEFAULTS, clock);
        SampleBlock block = new SampleBlock(ECG, 50);
        fillRamp(block, 0, 50);
        state.onSamples(block);
        LiveSubscription sub = state.subscribe().orElseThrow();
        clock.advanceNanos(LiveState.WAVE_FLUSH_NANOS);
        state.doWork();
        fillRamp(block, 50, 50);
        state.onSamples(block);
        clock.advanceNanos(LiveState.WAVE_FLUSH_NANOS);
        state.doWork();

        List<JsonNode> waves = waves(sub);
        assertThat(waves).hasSize(1);
        JsonNode part = waves.get(0).path("parts").get(0);
        assertThat(waves.get(0).path("s").asText()).isEqualTo("ecg");
        assertThat(part.path("seq").asLong()).isEqualTo(50);
        JsonNode leadI = part.path("v").get(0);
        assertThat(leadI).hasSize(25);
        // lead I is 2 uV per input sample: samples 50 and 51 average to 101 uV
        assertThat(leadI.get(0).asLong()).isEqualTo(101);
        assertThat(leadI.get(24).asLong()).isEqualTo(197);
        assertThat(part.path("v").get(1).get(1).asLong()).isEqualTo(-210);
        assertThat(state.waveformStreams()).singleElement().satisfies(r -> {
            assertThat(r.decimation()).isEqualTo(2);
            assertThat(r.displayRateHz()).isEqualTo(250.0);
        });
    }

    @Test
    void splitsAMessageWhereTheInputSequenceJumps() throws Exception {
        ManualClock clock = new ManualClock(0);
        LiveState state = new LiveState(LiveLimits.DEFAULTS, clock);
        SampleBlock block = new SampleBlock(PPG, 20);
        block.begin(0, 0).setLength(20);
        state.onSamples(block);
        LiveSubscription sub = state.subscribe().orElseThrow();
        clock.advanceNanos(LiveState.WAVE_FLUSH_NANOS);
        state.doWork();
        block.begin(20, 0).setLength(10);
        state.onSamples(block);
        block.begin(100, 0).setLength(10);
        state.onSamples(block);
        clock.advanceNanos(LiveState.WAVE_FLUSH_NANOS);
        state.doWork();

        JsonNode parts = waves(sub).get(0).path("parts");
        assertThat(parts).hasSize(2);
        assertThat(parts.get(0).path("seq").asLong()).isEqualTo(20);
        assertThat(parts.get(1).path("seq").asLong()).isEqualTo(100);
        assertThat(state.waveformStreams().get(0).gaps()).isEqualTo(1);
    }

    @Test
    void countsDisplaySamplesLostWhenTheDispatcherFallsARingBehind() {
        ManualClock clock = new ManualClock(0);
        LiveState state = new LiveState(LiveLimits.DEFAULTS, clock);
        SampleBlock block = new SampleBlock(PPG, 100);
        block.begin(0, 0).setLength(100);
        state.onSamples(block);
        state.subscribe().orElseThrow();
        clock.advanceNanos(LiveState.WAVE_FLUSH_NANOS);
        state.doWork();
        int capacity = state.waveformStreams().get(0).capacity();
        long seq = 100;
        for (int i = 0; i < 2 * capacity / 100; i++) {
            block.begin(seq, 0).setLength(100);
            state.onSamples(block);
            seq += 100;
        }
        clock.advanceNanos(LiveState.WAVE_FLUSH_NANOS);
        state.doWork();
        assertThat(state.waveSamplesDropped()).isGreaterThanOrEqualTo(capacity);
        assertThat(state.waveSamplesDropped()).isLessThan(2L * capacity);
    }

    @Test
    void feedingSamplesAllocatesNothingOnTheCallingThread() {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        LiveState state = new LiveState(LiveLimits.DEFAULTS);
        StreamDescriptor twelve = new StreamDescriptor("ecg12", "test", Modality.ECG,
                List.of(new Channel("I", "mV"), new Channel("II", "mV"), new Channel("III", "mV"),
                        new Channel("aVR", "mV"), new Channel("aVL", "mV"), new Channel("aVF", "mV"),
                        new Channel("V1", "mV"), new Channel("V2", "mV"), new Channel("V3", "mV"),
                        new Channel("V4", "mV"), new Channel("V5", "mV"), new Channel("V6", "mV")), 1000);
        SampleBlock block = new SampleBlock(twelve, 32);
        long allocated = 0;
        long seq = 0;
        for (int round = 0; round < 3000; round++) {
            block.begin(seq, seq * 1_000_000L).setLength(32);
            long before = threads.getCurrentThreadAllocatedBytes();
            state.onSamples(block);
            long after = threads.getCurrentThreadAllocatedBytes();
            if (round >= 1000) {
                allocated += after - before;
            }
            seq += 32;
        }
        assertThat(state.waveformStreams().get(0).published()).isEqualTo(3000 * 32 / 4);
        assertThat(allocated).isZero();
    }

    @Test
    void keepsFiveSecondsOfLeadIIEitherSideOfAnEventAsEvidence() {
        ManualClock clock = new ManualClock(0);
        LiveState state = new LiveState(LiveLimits.DEFAULTS, clock);
        SampleBlock block = new SampleBlock(ECG, 50);
        long seq = 0;
        while (seq < 500 * 12) {
            fillRamp(block, seq, 50);
            state.onSamples(block);
            seq += 50;
        }
        state.onEvent(new CardiacEvent("ecg", EventType.TACHY, 500 * 8, -1, 8_000_000_000L, "HR 152 bpm > 150 bpm"));
        clock.advanceNanos(LiveState.WAVE_FLUSH_NANOS);
        state.doWork();
        assertThat(state.eventRecords()).singleElement().extracting(EventRecord::evidenceId).isNull();

        while (seq < 500 * 14) {
            fillRamp(block, seq, 50);
            state.onSamples(block);
            seq += 50;
        }
        clock.advanceNanos(LiveState.WAVE_FLUSH_NANOS);
        state.doWork();

        String id = state.eventRecords().get(0).evidenceId();
        assertThat(id).isNotNull();
        Evidence evidence = state.evidence(id).orElseThrow();
        assertThat(evidence.channel()).isEqualTo("II");
        assertThat(evidence.rateHz()).isEqualTo(250.0);
        assertThat(evidence.values()).hasSize(2501);
        assertThat(evidence.onsetIndex()).isEqualTo(1250);
        // lead II is -4 uV per input sample: the onset pair (4000, 4001) averages to -16.002 mV
        assertThat(evidence.values()[evidence.onsetIndex()]).isCloseTo(-16.002f, org.assertj.core.data.Offset.offset(1e-4f));
        assertThat(LiveJson.evidence(evidence)).contains("\"channel\":\"II\"").contains("\"onsetIndex\":1250");
    }

    @Test
    void keepsEveryVitalWithATrendAndReportsItInTheState() throws Exception {
        LiveState state = new LiveState(LiveLimits.DEFAULTS);
        for (int i = 0; i < 30; i++) {
            state.onVital(new Vital("ppg", "spo2", 97 - i % 3, "%", i * 100, i * 2_000_000_000L, "ppg"));
        }
        state.onVital(new Vital("ecg", "qtc_ms", 412, "ms", 10, 1_000_000_000L, "ecg"));
        state.doWork();

        JsonNode vitals = JSON.readTree(LiveJson.state(state.snapshot())).path("vitals");
        assertThat(vitals.path("spo2").path("value").asDouble()).isEqualTo(97 - 29 % 3);
        // 30 values 2 s apart fall into 12 buckets of 5 s
        assertThat(vitals.path("spo2").path("trend")).hasSize(12);
        assertThat(vitals.path("qtc_ms").path("unit").asText()).isEqualTo("ms");
        assertThat(vitals.has("pat_ms")).isFalse();
    }
}
