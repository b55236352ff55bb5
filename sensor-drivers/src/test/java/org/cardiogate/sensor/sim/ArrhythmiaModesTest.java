package org.cardiogate.sensor.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;

import org.cardiogate.signal.SampleBlock;
import org.junit.jupiter.api.Test;

class ArrhythmiaModesTest {

    private static final double ECG_HZ = 500;
    private static final double PPG_HZ = 100;
    private static final double SCG_HZ = 500;

    /** 20 ms blocks of all three streams; the given actions run at whole seconds of signal time. */
    private static final class Run {
        final List<SimulatedBeat> beats = new ArrayList<>();
        final double[] leadII;
        final double[] ir;
        final double[] scg;

        Run(PhysiologySimulator sim, int seconds, Runnable[] atSecond) {
            sim.setListener(beats::add);
            leadII = new double[(int) (seconds * ECG_HZ)];
            ir = new double[(int) (seconds * PPG_HZ)];
            scg = new double[(int) (seconds * SCG_HZ)];
            SampleBlock ecg = new SampleBlock(sim.ecgStream(), 10);
            SampleBlock ppg = new SampleBlock(sim.ppgStream(), 2);
            SampleBlock z = new SampleBlock(sim.scgStream(), 10);
            for (int i = 0; i < seconds * 50; i++) {
                if (i % 50 == 0 && i / 50 < atSecond.length && atSecond[i / 50] != null) {
                    atSecond[i / 50].run();
                }
                sim.fill(ecg);
                System.arraycopy(ecg.channel(1), 0, leadII, i * 10, 10);
                sim.fill(ppg);
                System.arraycopy(ppg.channel(1), 0, ir, i * 2, 2);
                sim.fill(z);
                System.arraycopy(z.channel(0), 0, scg, i * 10, 10);
            }
        }

        List<SimulatedBeat> between(double from, double to) {
            return beats.stream().filter(b -> b.rTimeSeconds() > from && b.rTimeSeconds() < to).toList();
        }
    }

    @Test
    void ventricularTachycardiaGivesWideBeatsAtTheSetRateWithWeakPulses() {
        PhysiologySimulator sim = new PhysiologySimulator(
                SimulatorConfig.defaults().withoutHrv().withoutNoise().withHeartRate(75));
        Runnable[] at = new Runnable[31];
        at[10] = () -> sim.startVentricularTachycardia(180);
        at[20] = sim::stopVentricularTachycardia;
        Run run = new Run(sim, 30, at);

        List<SimulatedBeat> vt = run.between(10.8, 20);
        assertThat(vt).hasSizeGreaterThan(25);
        for (SimulatedBeat b : vt) {
            assertThat(b.kind()).as("%s", b).isEqualTo(BeatKind.PVC);
            assertThat(b.rrSeconds()).as("%s", b).isCloseTo(60.0 / 180, within(1e-9));
        }
        for (SimulatedBeat b : run.between(21, 29)) {
            assertThat(b.kind()).as("sinus again: %s", b).isEqualTo(BeatKind.NORMAL);
            assertThat(b.rrSeconds()).isCloseTo(0.8, within(1e-9));
        }

        // the waveform itself: R peaks found without the ground truth, 3 per second, each wide
        int[] peaks = peaks(run.leadII, 11.0, 19.5, 0.5 * Recording.max(run.leadII, 5500, 9500));
        assertThat(peaks.length).isBetween(25, 26);
        for (int i = 1; i < peaks.length; i++) {
            assertThat((peaks[i] - peaks[i - 1]) / ECG_HZ).isCloseTo(60.0 / 180, within(0.004));
        }
        int[] sinusPeaks = peaks(run.leadII, 2.0, 9.5, 0.5 * Recording.max(run.leadII, 1000, 4750));
        assertThat(sinusPeaks.length).isBetween(9, 10);
        double sinusWidth = widthAboveHalfPeak(run.leadII, sinusPeaks[3]);
        for (int p : peaks) {
            assertThat(widthAboveHalfPeak(run.leadII, p)).isGreaterThan(2 * sinusWidth);
        }

        double sinusPulse = pulseHeight(run.ir, run.between(3, 9).get(2));
        for (SimulatedBeat b : vt) {
            assertThat(pulseHeight(run.ir, b)).as("%s", b).isLessThan(0.3 * sinusPulse);
        }
        double sinusScg = Recording.max(run.scg, (int) (3 * SCG_HZ), (int) (9 * SCG_HZ));
        assertThat(Recording.max(run.scg, (int) (12 * SCG_HZ), (int) (19 * SCG_HZ))).isLessThan(0.4 * sinusScg);
    }

    @Test
    void asystoleStopsEveryBeatAndLeavesOnlyNoiseUntilItEnds() {
        SimulatorConfig config = SimulatorConfig.defaults();
        PhysiologySimulator sim = new PhysiologySimulator(config);
        Runnable[] at = new Runnable[31];
        at[8] = sim::startAsystole;
        at[20] = sim::stopAsystole;
        Run run = new Run(sim, 30, at);

        assertThat(sim.isAsystole()).isFalse();
        assertThat(run.between(9.5, 20)).as("no beat after the one already scheduled").isEmpty();
        SimulatedBeat resumed = run.beats.stream().filter(b -> b.rTimeSeconds() > 20).findFirst().orElseThrow();
        SimulatedBeat lastBefore = run.beats.get((int) resumed.index() - 1);
        assertThat(lastBefore.rTimeSeconds()).isLessThan(9.5);
        assertThat(resumed.rTimeSeconds()).isBetween(20.0, 20.0 + PhysiologySimulator.ASYSTOLE_POLL_SECONDS + 1.2);
        assertThat(resumed.rrSeconds()).isGreaterThan(10.5);
        assertThat(run.between(21, 29)).hasSizeGreaterThan(8);

        // ECG: the steepest 10 ms change of the pause is noise, a tenth of a QRS upstroke at most, and no R peak
        double sinusSlope = steepestChange(run.leadII, 1.0, 8.0);
        double pauseSlope = steepestChange(run.leadII, 10.5, 20.0);
        assertThat(pauseSlope).isLessThan(0.1 * sinusSlope);
        assertThat(peaks(run.leadII, 10.5, 20.0, 0.5 * Recording.max(run.leadII, 500, 4000))).isEmpty();
        assertThat(peaks(run.leadII, 1.0, 8.0, 0.5 * Recording.max(run.leadII, 500, 4000)).length).isBetween(7, 9);

        // PPG: no pulse once the last one has run off (4 s), only the slow respiratory baseline and noise
        double sinusPulse = pulseHeight(run.ir, run.between(2, 7).get(2));
        for (int s = 14; s < 20; s++) {
            assertThat(detrendedRange(run.ir, (int) (s * PPG_HZ), (int) ((s + 1) * PPG_HZ)))
                    .as("IR pulsation in second %d", s).isLessThan(0.1 * sinusPulse);
        }
        // SCG: the noise alone (0.5 mg rms), against 25 mg heart sounds
        double sumSq = 0;
        int from = (int) (11 * SCG_HZ);
        int to = (int) (20 * SCG_HZ);
        for (int i = from; i < to; i++) {
            sumSq += run.scg[i] * run.scg[i];
        }
        assertThat(Math.sqrt(sumSq / (to - from))).isCloseTo(config.scgNoiseMg(), within(0.1));
        assertThat(Recording.max(run.scg, (int) (SCG_HZ), (int) (8 * SCG_HZ))).isGreaterThan(15.0);
    }

    @Test
    void ventricularTachycardiaResumingFromAsystoleIsTimedFromTheEndOfThePause() {
        PhysiologySimulator sim = new PhysiologySimulator(SimulatorConfig.defaults().withoutHrv().withoutNoise());
        Runnable[] at = new Runnable[21];
        at[4] = sim::startAsystole;
        at[10] = () -> {
            sim.startVentricularTachycardia(200);
            sim.stopAsystole();
        };
        Run run = new Run(sim, 20, at);
        List<SimulatedBeat> after = run.between(10, 20);
        assertThat(after.get(0).rTimeSeconds()).isBetween(10.29, 10.3 + PhysiologySimulator.ASYSTOLE_POLL_SECONDS);
        assertThat(after).hasSizeGreaterThan(30).allSatisfy(b -> assertThat(b.kind()).isEqualTo(BeatKind.PVC));
        assertThat(sim.isVentricularTachycardia()).isTrue();
    }

    @Test
    void rejectsATachycardiaRateOutsideItsRange() {
        PhysiologySimulator sim = new PhysiologySimulator(SimulatorConfig.defaults());
        assertThatThrownBy(() -> sim.startVentricularTachycardia(90)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ventricular tachycardia").hasMessageContaining("90");
        assertThatThrownBy(() -> sim.startVentricularTachycardia(Double.NaN))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(sim.isVentricularTachycardia()).isFalse();
    }

    /** Local maxima above {@code threshold} at least 150 ms apart (the larger wins), in [from, to) seconds. */
    private static int[] peaks(double[] x, double from, double to, double threshold) {
        int refractory = (int) (0.15 * ECG_HZ);
        List<Integer> out = new ArrayList<>();
        for (int i = (int) (from * ECG_HZ); i < (int) (to * ECG_HZ); i++) {
            if (x[i] > threshold && x[i] >= x[i - 1] && x[i] > x[i + 1]) {
                if (!out.isEmpty() && i - out.get(out.size() - 1) < refractory) {
                    if (x[i] > x[out.get(out.size() - 1)]) {
                        out.set(out.size() - 1, i);
                    }
                } else {
                    out.add(i);
                }
            }
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    private static double widthAboveHalfPeak(double[] x, int peak) {
        double half = x[peak] / 2;
        int a = peak;
        while (x[a - 1] > half) {
            a--;
        }
        int b = peak;
        while (x[b + 1] > half) {
            b++;
        }
        return (b - a + 1) / ECG_HZ;
    }

    private static double pulseHeight(double[] ir, SimulatedBeat b) {
        int foot = Recording.index(b.ppgFootTimeSeconds(), PPG_HZ);
        return Recording.max(ir, foot, foot + (int) (0.3 * PPG_HZ)) - ir[foot];
    }

    /** Largest change over 10 ms of the 10 ms moving average, in [from, to) seconds. */
    private static double steepestChange(double[] x, double from, double to) {
        int w = (int) (0.01 * ECG_HZ);
        double m = 0;
        for (int i = (int) (from * ECG_HZ) + 2 * w; i < (int) (to * ECG_HZ); i++) {
            double now = 0;
            double before = 0;
            for (int k = 0; k < w; k++) {
                now += x[i - k];
                before += x[i - w - k];
            }
            m = Math.max(m, Math.abs(now - before) / w);
        }
        return m;
    }

    /** Range of x[from, to) after removing its least-squares line. */
    private static double detrendedRange(double[] x, int from, int to) {
        int n = to - from;
        double mt = (n - 1) / 2.0;
        double mx = 0;
        for (int i = from; i < to; i++) {
            mx += x[i];
        }
        mx /= n;
        double sxy = 0;
        double sxx = 0;
        for (int i = 0; i < n; i++) {
            sxy += (i - mt) * (x[from + i] - mx);
            sxx += (i - mt) * (i - mt);
        }
        double slope = sxy / sxx;
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            double r = x[from + i] - mx - slope * (i - mt);
            lo = Math.min(lo, r);
            hi = Math.max(hi, r);
        }
        return hi - lo;
    }
}
