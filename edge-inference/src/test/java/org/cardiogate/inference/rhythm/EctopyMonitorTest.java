package org.cardiogate.inference.rhythm;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.cardiogate.signal.AamiClass;
import org.cardiogate.signal.CardiacEvent;
import org.cardiogate.signal.EventType;
import org.junit.jupiter.api.Test;

class EctopyMonitorTest {
    private static final double FS = 360;
    private final List<CardiacEvent> events = new ArrayList<>();
    private final List<long[]> evidence = new ArrayList<>();
    private final List<String> patterns = new ArrayList<>();
    private final EctopyMonitor monitor = new EctopyMonitor("ecg", FS, EctopyMonitor.Config.DEFAULTS, s -> s,
            new RhythmSink() {
                @Override
                public void onEvent(CardiacEvent event, long[] ev) {
                    events.add(event);
                    evidence.add(ev);
                }

                @Override
                public void onPattern(String streamId, String pattern, long onset, long offset, int cycles) {
                    patterns.add(pattern + " " + onset + "-" + offset + " x" + cycles);
                }
            });
    private long t;

    private long beat(AamiClass c, double bpm) {
        t += Math.round(60 / bpm * FS);
        monitor.onBeat(t, c, false);
        return t;
    }

    @Test
    void fourFastVentricularBeatsRaiseVtAtTheFourthAndCloseAtTheNextNormalBeat() {
        for (int i = 0; i < 10; i++) {
            beat(AamiClass.N, 75);
        }
        long first = beat(AamiClass.V, 150);
        beat(AamiClass.V, 150);
        beat(AamiClass.V, 150);
        assertThat(events).isEmpty();
        long fourth = beat(AamiClass.V, 150);
        assertThat(events).singleElement().satisfies(e -> {
            assertThat(e.type()).isEqualTo(EventType.VT);
            assertThat(e.onsetSample()).isEqualTo(first);
            assertThat(e.isOngoing()).isTrue();
        });
        assertThat(evidence.get(0)).hasSize(4).endsWith(fourth);
        long fifth = beat(AamiClass.V, 150);
        beat(AamiClass.N, 75);
        assertThat(events).hasSize(2);
        assertThat(events.get(1).offsetSample()).isEqualTo(fifth);
        assertThat(evidence.get(1)).hasSize(5).startsWith(first);
    }

    @Test
    void aSlowVentricularRunIsNotVt() {
        beat(AamiClass.N, 60);
        for (int i = 0; i < 6; i++) {
            beat(AamiClass.V, 70);
        }
        beat(AamiClass.N, 60);
        monitor.finish(t);
        assertThat(events).isEmpty();
    }

    @Test
    void bigeminyAndTrigeminyRunsAreReportedWithTheirCycles() {
        beat(AamiClass.N, 70);
        beat(AamiClass.N, 70);
        long bigStart = beat(AamiClass.N, 70);
        for (int i = 0; i < 5; i++) {
            beat(AamiClass.V, 110);
            if (i < 4) {
                beat(AamiClass.N, 60);
            }
        }
        beat(AamiClass.N, 60);
        beat(AamiClass.N, 70);
        for (int i = 0; i < 4; i++) {
            beat(AamiClass.V, 110);
            beat(AamiClass.N, 60);
            beat(AamiClass.N, 70);
        }
        monitor.finish(t);
        assertThat(patterns).anySatisfy(p -> assertThat(p).startsWith("BIGEMINY " + bigStart + "-").endsWith("x5"));
        assertThat(patterns).anySatisfy(p -> assertThat(p).startsWith("TRIGEMINY").endsWith("x4"));
        assertThat(events).isEmpty();
    }

    @Test
    void aNoisyBeatEndsAnOpenVt() {
        beat(AamiClass.N, 75);
        for (int i = 0; i < 5; i++) {
            beat(AamiClass.V, 160);
        }
        t += 100;
        monitor.onBeat(t, AamiClass.V, true);
        assertThat(events).hasSize(2);
        assertThat(events.get(1).isOngoing()).isFalse();
    }
}
