package org.cardiogate.inference.rhythm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.cardiogate.signal.CardiacEvent;
import org.cardiogate.signal.EventType;
import org.junit.jupiter.api.Test;

class AfDetectorTest {
    private static final double FS = 250;
    private final List<CardiacEvent> events = new ArrayList<>();
    private final AfDetector af = new AfDetector("ecg", FS, AfDetector.Config.DEFAULTS, s -> s * 4_000_000L, events::add);
    private final Random random = new Random(7);
    private long t;

    private void beats(int n, double meanRr, double spread, boolean noisy) {
        for (int i = 0; i < n; i++) {
            t += Math.round((meanRr + (random.nextDouble() - 0.5) * 2 * spread) * FS);
            af.onBeat(t, false, noisy);
        }
    }

    @Test
    void irregularRhythmBetweenRegularStretchesIsOneEpisodeWithItsEnds() {
        beats(100, 0.8, 0.01, false);
        long afStart = t;
        beats(80, 0.7, 0.25, false);
        long afEnd = t;
        beats(100, 0.8, 0.01, false);
        af.finish(t);
        assertThat(events).hasSize(2);
        CardiacEvent onset = events.get(0);
        CardiacEvent closed = events.get(1);
        assertThat(onset.type()).isEqualTo(EventType.AF);
        assertThat(onset.isOngoing()).isTrue();
        assertThat(closed.onsetSample()).isEqualTo(onset.onsetSample());
        assertThat((double) Math.abs(closed.onsetSample() - afStart)).isLessThan(3 * FS);
        assertThat((double) Math.abs(closed.offsetSample() - afEnd)).isLessThan(6 * FS);
    }

    @Test
    void isolatedPrematureBeatsInSinusRhythmAreNotAf() {
        for (int i = 0; i < 300; i++) {
            boolean premature = i % 9 == 0;
            t += Math.round((premature ? 0.5 : i % 9 == 1 ? 1.1 : 0.8) * FS);
            af.onBeat(t, false, false);
        }
        af.finish(t);
        assertThat(events).isEmpty();
    }

    @Test
    void beatsMarkedEctopicAreLeftOutEvenInBigeminy() {
        for (int i = 0; i < 200; i++) {
            boolean v = i % 2 == 1;
            t += Math.round((v ? 0.5 : 1.1) * FS);
            af.onBeat(t, v, false);
        }
        af.finish(t);
        assertThat(events).isEmpty();
    }

    @Test
    void noisyBeatsRestartTheWindow() {
        beats(60, 0.7, 0.25, true);
        assertThat(events).isEmpty();
        assertThat(af.inAf()).isFalse();
    }

    @Test
    void findsTheAfOfAPersistentAfRecordAndNoneInASinusRecord() throws Exception {
        String shared = System.getProperty("cardiogate.shared");
        assumeTrue(shared != null && Files.isDirectory(Path.of(shared, "data", "cpsc2021")),
                "reference recordings not found (system property cardiogate.shared): skipping");
        AfEvaluation ev = new AfEvaluation(AfDetector.Config.DEFAULTS);
        AfEvaluation.Score af = ev.score(Path.of(shared, "data", "cpsc2021", "data_84_1"));
        assertThat(af.sensitivity()).isGreaterThan(95);
        assertThat(af.positivePredictivity()).isGreaterThan(95);
        AfEvaluation.Score sinus = ev.score(Path.of(shared, "data", "cpsc2021", "data_21_7"));
        assertThat(sinus.detectedSeconds()).isZero();
    }
}
