package org.cardiogate.inference.rhythm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.cardiogate.signal.CardiacEvent;
import org.cardiogate.signal.EventType;
import org.cardiogate.signal.wfdb.Annotation;
import org.cardiogate.signal.wfdb.AnnotationReader;
import org.junit.jupiter.api.Test;

class AfDetectorTest {
    private static final double FS = 250;
    /** The detector without the pattern (lag) and dispersion tests: what ectopy suppression is measured against. */
    private static final AfDetector.Config PLAIN = AfDetector.Config.irregularityOnly(16, 0.04, 0.025);

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

    /** Seconds of AF the detector with {@code config} finds in an RR sequence (no beat marked ectopic). */
    private static double afSeconds(AfDetector.Config config, double[] rr) {
        List<CardiacEvent> out = new ArrayList<>();
        AfDetector d = new AfDetector("ecg", FS, config, s -> s, e -> {
            if (!e.isOngoing()) {
                out.add(e);
            }
        });
        long s = 0;
        for (double r : rr) {
            s += Math.round(r * FS);
            d.onBeat(s, false, false);
        }
        d.finish(s);
        return out.stream().mapToLong(e -> e.offsetSample() - e.onsetSample()).sum() / FS;
    }

    /** A repeating RR pattern with +-1 % jitter, {@code n} intervals. */
    private double[] pattern(int n, double... cycle) {
        double[] rr = new double[n];
        for (int i = 0; i < n; i++) {
            rr[i] = cycle[i % cycle.length] * (1 + (random.nextDouble() - 0.5) * 0.02);
        }
        return rr;
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
        // the premature-beat filter may take the first short-long pair of the AF for a premature beat: up to 4 s late
        assertThat((double) Math.abs(closed.onsetSample() - afStart)).isLessThan(4 * FS);
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
    void unmarkedBigeminyIsNotAfButIsForTheDetectorWithoutPatternTests() {
        // atrial bigeminy, or ventricular bigeminy the classifier missed: short coupling, long pause, repeated
        double[] rr = pattern(200, 0.55, 1.05);
        assertThat(afSeconds(AfDetector.Config.DEFAULTS, rr)).isZero();
        assertThat(afSeconds(PLAIN, rr)).isGreaterThan(100);
    }

    @Test
    void unmarkedTrigeminyAndPrematureBeatsEveryFourthBeatAreNotAf() {
        double[] trigeminy = pattern(240, 0.85, 0.5, 1.2);
        double[] quadrigeminy = pattern(240, 0.85, 0.85, 0.5, 1.2);
        assertThat(afSeconds(AfDetector.Config.DEFAULTS, trigeminy)).isZero();
        assertThat(afSeconds(AfDetector.Config.DEFAULTS, quadrigeminy)).isZero();
        assertThat(afSeconds(PLAIN, trigeminy)).isGreaterThan(100);
        assertThat(afSeconds(PLAIN, quadrigeminy)).isGreaterThan(100);
    }

    @Test
    void variableBlockOnTwoIntervalLengthsIsNotAf() {
        // atrial flutter or tachycardia conducting 2:1 or 3:1 at random: RR of two or three atrial cycles
        double[] rr = new double[200];
        for (int i = 0; i < rr.length; i++) {
            rr[i] = (random.nextBoolean() ? 0.5 : 0.75) * (1 + (random.nextDouble() - 0.5) * 0.03);
        }
        assertThat(afSeconds(AfDetector.Config.DEFAULTS, rr)).isZero();
        assertThat(afSeconds(PLAIN, rr)).isGreaterThan(30);
    }

    @Test
    void moderateRespiratorySinusArrhythmiaAndRateChangesAreNotAf() {
        double[] rr = new double[300];
        for (int i = 0; i < rr.length; i++) {
            // +-6 % over a 5-beat breath on a rate drifting from 60 to 100 bpm and back
            double base = 1.0 - 0.4 * Math.sin(Math.PI * i / rr.length);
            rr[i] = base * (1 + 0.06 * Math.sin(2 * Math.PI * i / 5));
        }
        assertThat(afSeconds(AfDetector.Config.DEFAULTS, rr)).isZero();
    }

    @Test
    void aFastSteadyAccelerationAndSlowingAreNotAf() {
        // 70 -> 170 bpm over 20 beats (a tachycardia onset, or exercise), 40 beats at 170, back to 70 over 20 beats,
        // with +-1 % jitter: every interval differs from the one before by about 4 % of the median, all one way
        double[] rr = new double[120];
        for (int i = 0; i < rr.length; i++) {
            double bpm = i < 20 ? 70 + 5 * i : i < 60 ? 170 : i < 80 ? 170 - 5 * (i - 60) : 70;
            rr[i] = 60 / bpm * (1 + (random.nextDouble() - 0.5) * 0.02);
        }
        assertThat(afSeconds(AfDetector.Config.DEFAULTS, rr)).isZero();
    }

    @Test
    void noisyBeatsRestartTheWindow() {
        beats(60, 0.7, 0.25, true);
        assertThat(events).isEmpty();
        assertThat(af.inAf()).isFalse();
    }

    @Test
    void anEpisodeGoesOnThroughANoisyStretchWhenAfFollowsIt() {
        beats(40, 0.8, 0.01, false);
        beats(60, 0.7, 0.25, false);
        assertThat(af.inAf()).isTrue();
        beats(15, 0.5, 0.3, true);
        beats(60, 0.7, 0.25, false);
        af.finish(t);
        assertThat(events.stream().filter(e -> !e.isOngoing())).hasSize(1);
        assertThat(events.get(events.size() - 1).offsetSample()).isEqualTo(t);
    }

    @Test
    void anEpisodeEndsAtTheNoiseWhenARegularRhythmFollowsIt() {
        beats(40, 0.8, 0.01, false);
        beats(60, 0.7, 0.25, false);
        long lastClean = t;
        beats(15, 0.5, 0.3, true);
        beats(60, 0.8, 0.01, false);
        af.finish(t);
        assertThat(events.stream().filter(e -> !e.isOngoing())).singleElement()
                .satisfies(e -> assertThat(e.offsetSample()).isEqualTo(lastClean));
        assertThat(af.inAf()).isFalse();
    }

    @Test
    void aBeatBeforeThePreviousOneRestartsTheWindowInsteadOfMakingANegativeInterval() {
        beats(30, 0.8, 0.01, false);
        t = 0;
        beats(30, 0.8, 0.01, false);
        af.finish(t);
        assertThat(events).isEmpty();
        assertThat(af.lastIrregularity()).isLessThan(0.05);
    }

    @Test
    void badSettingsAreRejectedWithTheirName() {
        assertThatThrownBy(() -> new AfDetector.Config(4, 0.05, 0.03, 0.75, 0.45, 1, true))
                .hasMessageContaining("af.windowBeats");
        assertThatThrownBy(() -> new AfDetector.Config(16, 0.03, 0.05, 0.75, 0.45, 3, true))
                .hasMessageContaining("irregularity thresholds");
        assertThatThrownBy(() -> new AfDetector.Config(16, 0.05, 0.03, 1.0, 0.45, 3, true))
                .hasMessageContaining("dispersion thresholds");
        assertThatThrownBy(() -> new AfDetector.Config(8, 0.05, 0.03, 0.75, 0.45, 3, true))
                .hasMessageContaining("af.patternLags");
        assertThatThrownBy(() -> new AfDetector("ecg", 0, AfDetector.Config.DEFAULTS, s -> s, e -> { }))
                .hasMessageContaining("sample rate");
    }

    @Test
    void aBeatAllocatesNothingInSteadyState() {
        AfDetector d = new AfDetector("ecg", FS, AfDetector.Config.DEFAULTS, s -> s, e -> { });
        long s = 0;
        for (int i = 0; i < 2000; i++) {
            s += 200 + (i % 2) * 3;
            d.onBeat(s, i % 50 == 0, false);
        }
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long tid = Thread.currentThread().threadId();
        long before = mx.getThreadAllocatedBytes(tid);
        for (int i = 0; i < 20_000; i++) {
            s += 200 + (i % 2) * 3;
            d.onBeat(s, i % 50 == 0, false);
        }
        long allocated = mx.getThreadAllocatedBytes(tid) - before;
        assertThat(d.inAf()).isFalse();
        assertThat(allocated).as("bytes allocated by 20000 beats").isLessThan(1024);
    }

    private static Path shared(String... parts) {
        String shared = System.getProperty("cardiogate.shared");
        assumeTrue(shared != null && Files.isDirectory(Path.of(shared, "data", "cpsc2021")),
                "reference recordings not found (system property cardiogate.shared): skipping");
        return Path.of(shared, "data").resolve(Path.of("", parts));
    }

    /** Reference RR intervals (seconds) of a cpsc2021 record between two times. */
    private static double[] referenceRr(String record, double fromSeconds, double toSeconds) throws Exception {
        List<Annotation> beats = AnnotationReader.read(shared("cpsc2021", record), "atr").stream()
                .filter(Annotation::isBeat).toList();
        List<Double> rr = new ArrayList<>();
        for (int i = 1; i < beats.size(); i++) {
            double at = beats.get(i).sample() / 200.0;
            if (at >= fromSeconds && at <= toSeconds) {
                rr.add((beats.get(i).sample() - beats.get(i - 1).sample()) / 200.0);
            }
        }
        return rr.stream().mapToDouble(Double::doubleValue).toArray();
    }

    @Test
    void realAfIsFoundAndRealSinusWithPrematureBeatsEveryFourthBeatIsNot() throws Exception {
        // persistent AF of data_84_1 (reference beats)
        double[] afRr = referenceRr("data_84_1", 0, 519);
        double total = java.util.Arrays.stream(afRr).sum();
        assertThat(afSeconds(AfDetector.Config.DEFAULTS, afRr) / total).isGreaterThan(0.95);
        // the sinus rhythm of data_21_8 with an atrial premature beat (coupling 60 %, non-compensatory pause of 120 %)
        // replacing every fourth interval pair
        double[] sinus = referenceRr("data_21_8", 0, 518);
        double[] ectopy = sinus.clone();
        for (int i = 3; i + 1 < ectopy.length; i += 4) {
            double cycle = sinus[i];
            ectopy[i] = 0.6 * cycle;
            ectopy[i + 1] = 1.2 * cycle;
        }
        assertThat(afSeconds(AfDetector.Config.DEFAULTS, sinus)).isZero();
        assertThat(afSeconds(AfDetector.Config.DEFAULTS, ectopy)).isLessThan(10);
        assertThat(afSeconds(PLAIN, ectopy)).isGreaterThan(100);
    }

    @Test
    void findsTheAfOfAPersistentAfRecordAndNoneInASinusRecord() throws Exception {
        shared("cpsc2021");
        AfEvaluation ev = new AfEvaluation(AfDetector.Config.DEFAULTS);
        AfEvaluation.Score af = ev.score(shared("cpsc2021", "data_84_1"));
        assertThat(af.sensitivity()).isGreaterThan(95);
        assertThat(af.positivePredictivity()).isGreaterThan(95);
        AfEvaluation.Score sinus = ev.score(shared("cpsc2021", "data_21_7"));
        assertThat(sinus.detectedSeconds()).isZero();
    }
}
