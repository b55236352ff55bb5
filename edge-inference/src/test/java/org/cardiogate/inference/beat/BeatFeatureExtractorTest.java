package org.cardiogate.inference.beat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class BeatFeatureExtractorTest {

    /** A crude ECG: a 1 mV, 40 ms wide Gaussian R wave every {@code rr} seconds, a small T wave after it. */
    private static double ecg(long n, double fs, double rr) {
        double t = n / fs;
        double phase = t % rr;
        double r = Math.exp(-0.5 * Math.pow((phase - 0.3) / 0.012, 2));
        double tw = 0.25 * Math.exp(-0.5 * Math.pow((phase - 0.55) / 0.05, 2));
        return r + tw;
    }

    private record Out(long r, float[] window, float[] rr) {
    }

    private static List<Out> run(double fs, double rr, double seconds) {
        List<Out> out = new ArrayList<>();
        BeatFeatureExtractor x = new BeatFeatureExtractor(fs, (r, w, f) -> out.add(new Out(r, w.clone(), f.clone())));
        double[] block = new double[50];
        long n = 0;
        long nextBeat = Math.round(0.3 * fs);
        while (n < seconds * fs) {
            for (int i = 0; i < block.length; i++) {
                block[i] = ecg(n + i, fs, rr);
            }
            x.process(n, block, 0, block.length);
            n += block.length;
            // the detector reports a beat some 250 ms after its R peak
            while (nextBeat + 0.25 * fs < n) {
                x.onBeat(nextBeat);
                nextBeat += Math.round(rr * fs);
            }
        }
        x.finish();
        return out;
    }

    @Test
    void givesTheSameWindowAndRrFeaturesAtAnyInputRate() {
        List<Out> a = run(360, 0.8, 30);
        List<Out> b = run(500, 0.8, 30);
        assertThat(a).hasSizeGreaterThan(30);
        Out x = a.get(20);
        Out y = b.get(20);
        assertThat(x.rr()[0]).isCloseTo(1f, org.assertj.core.data.Offset.offset(0.01f));
        assertThat(x.rr()[5]).isCloseTo(0.8f, org.assertj.core.data.Offset.offset(0.01f));
        int peak = BeatFeatures.PRE;
        assertThat(x.window()[peak]).isGreaterThan(0.8f);
        for (int k = 0; k < BeatFeatures.CHANNELS * BeatFeatures.WINDOW; k++) {
            assertThat(y.window()[k]).as("sample %d", k).isCloseTo(x.window()[k],
                    org.assertj.core.data.Offset.offset(0.05f));
        }
    }

    @Test
    void aPrematureBeatHasAShortPreviousAndALongNextInterval() {
        List<Out> out = new ArrayList<>();
        BeatFeatureExtractor x = new BeatFeatureExtractor(250, (r, w, f) -> out.add(new Out(r, w.clone(), f.clone())));
        double[] zeros = new double[50];
        x.process(0, zeros, 0, 50);
        long[] beats = {250, 450, 650, 850, 1050, 1250, 1370, 1650, 1850, 2050};
        for (long b : beats) {
            x.onBeat(b);
        }
        for (long n = 50; n < 250 * 12; n += 50) {
            x.process(n, zeros, 0, 50);
        }
        x.finish();
        Out premature = out.stream().filter(o -> o.r() == 1370).findFirst().orElseThrow();
        assertThat(premature.rr()[0]).isLessThan(0.7f);
        assertThat(premature.rr()[1]).isGreaterThan(1.3f);
        assertThat(premature.rr()[6]).isGreaterThan(2f);
        // against the median of the intervals before it (200 samples = 0.8 s): 120 samples early, 280 late
        assertThat(premature.rr()[7]).isCloseTo(120f / 200, org.assertj.core.data.Offset.offset(1e-5f));
        assertThat(premature.rr()[8]).isCloseTo(280f / 200, org.assertj.core.data.Offset.offset(1e-5f));
        assertThat(premature.rr()[9]).isCloseTo(-80f / 250, org.assertj.core.data.Offset.offset(1e-5f));
        assertThat(premature.rr()[10]).as("regular rhythm before the premature beat").isZero();
        assertThat(premature.rr()[11]).isCloseTo(120f / 200, org.assertj.core.data.Offset.offset(1e-5f));
        // the beat after it: its own interval (280) is long, the median before it (still 200) is not disturbed
        Out after = out.stream().filter(o -> o.r() == 1650).findFirst().orElseThrow();
        assertThat(after.rr()[7]).isCloseTo(280f / 200, org.assertj.core.data.Offset.offset(1e-5f));
    }

    @Test
    void irregularityIsLowInARegularRhythmAndHighInAnIrregularOne() {
        java.util.Random random = new java.util.Random(7);
        float[] regular = lastIrregularity(i -> 200);
        float[] irregular = lastIrregularity(i -> 120 + random.nextInt(160));
        assertThat(regular[10]).isZero();
        assertThat(irregular[10]).as("median |dRR| / median RR of intervals 120..280 samples").isGreaterThan(0.2f);
        // prematurity against the recent median is defined in both
        assertThat(regular[7]).isCloseTo(1f, org.assertj.core.data.Offset.offset(1e-5f));
    }

    /** Features of the last complete beat of 40 beats (at 250 Hz) separated by {@code interval.applyAsInt(i)}. */
    private static float[] lastIrregularity(java.util.function.IntUnaryOperator interval) {
        List<Out> out = new ArrayList<>();
        BeatFeatureExtractor x = new BeatFeatureExtractor(250, (r, w, f) -> out.add(new Out(r, w.clone(), f.clone())));
        double[] zeros = new double[50];
        x.process(0, zeros, 0, 50);
        long n = 50;
        long beat = 250;
        for (int i = 0; i < 40; i++) {
            x.onBeat(beat);
            beat += interval.applyAsInt(i);
        }
        while (n < beat + 500) {
            x.process(n, zeros, 0, 50);
            n += 50;
        }
        x.finish();
        assertThat(out).hasSize(40);
        return out.get(38).rr();
    }

    @Test
    void extractsWithoutAllocatingInSteadyState() {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long[] count = {0};
        BeatFeatureExtractor x = new BeatFeatureExtractor(360, (r, w, f) -> count[0]++);
        double[] block = new double[36];
        long n = 0;
        long nextBeat = 100;
        long before = 0;
        for (int round = 0; round < 2; round++) {
            if (round == 1) {
                before = mx.getCurrentThreadAllocatedBytes();
            }
            for (int b = 0; b < 3000; b++) {
                for (int i = 0; i < block.length; i++) {
                    block[i] = ecg(n + i, 360, 0.75);
                }
                x.process(n, block, 0, block.length);
                n += block.length;
                while (nextBeat + 90 < n) {
                    x.onBeat(nextBeat);
                    nextBeat += 270;
                }
            }
        }
        long allocated = mx.getCurrentThreadAllocatedBytes() - before;
        assertThat(count[0]).isGreaterThan(700);
        assertThat(allocated).isZero();
    }

    @Test
    void refusesRatesTooLowForTheWindow() {
        assertThatThrownBy(() -> new BeatFeatureExtractor(100, (r, w, f) -> { }))
                .hasMessageContaining("at least 125 Hz, got 100");
    }
}
