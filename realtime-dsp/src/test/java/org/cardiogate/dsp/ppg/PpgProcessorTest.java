package org.cardiogate.dsp.ppg;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.cardiogate.sensor.sim.PhysiologySimulator;
import org.cardiogate.sensor.sim.SimulatedBeat;
import org.cardiogate.sensor.sim.SimulatorConfig;
import org.cardiogate.signal.SampleBlock;
import org.junit.jupiter.api.Test;

class PpgProcessorTest {

    record Run(List<PpgPulse> pulses, List<SimulatedBeat> truth) {
    }

    static Run run(SimulatorConfig config, double seconds) {
        PhysiologySimulator sim = new PhysiologySimulator(config);
        List<SimulatedBeat> truth = new ArrayList<>();
        sim.setListener(truth::add);
        List<PpgPulse> pulses = new ArrayList<>();
        PpgProcessor p = new PpgProcessor(sim.ppgStream(), 1, 0, PpgConfig.defaults(), pulse -> pulses.add(pulse.copy()));
        SampleBlock block = new SampleBlock(sim.ppgStream(), 10);
        int blocks = (int) (seconds * config.ppgRateHz() / 10);
        for (int b = 0; b < blocks; b++) {
            sim.fill(block);
            p.process(block);
        }
        p.finish();
        return new Run(pulses, truth);
    }

    /** Absolute errors in ms of each detected foot against the nearest true foot within 150 ms. */
    static double[] footErrorsMs(Run r) {
        double[] err = new double[r.pulses().size()];
        int n = 0;
        for (PpgPulse p : r.pulses()) {
            double t = p.footNanos() / 1e9;
            double best = Double.POSITIVE_INFINITY;
            for (SimulatedBeat b : r.truth()) {
                best = Math.min(best, Math.abs(t - b.ppgFootTimeSeconds()));
            }
            double signed = Double.NaN;
            for (SimulatedBeat b : r.truth()) {
                if (Math.abs(t - b.ppgFootTimeSeconds()) == best) {
                    signed = t - b.ppgFootTimeSeconds();
                }
            }
            if (best < 0.15) {
                if (Boolean.getBoolean("ppg.debug")) {
                    System.out.printf("%.1f ", signed * 1000);
                }
                err[n++] = best * 1000;
            }
        }
        return Arrays.copyOf(err, n);
    }

    static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : 0.5 * (s[s.length / 2 - 1] + s[s.length / 2]);
    }

    @Test
    void findsEveryPulseFootWithinFiveMillisecondsOnTheSimulator() {
        Run r = run(SimulatorConfig.defaults(), 120);
        long expected = r.truth().stream().filter(b -> b.ppgFootTimeSeconds() > 1 && b.ppgFootTimeSeconds() < 119).count();
        double[] err = footErrorsMs(r);
        System.out.printf("ppg: %d pulses, %d true, median foot error %.2f ms%n", r.pulses().size(), expected, median(err));
        assertThat(err.length).isGreaterThanOrEqualTo((int) (0.99 * expected));
        assertThat(median(err)).isLessThan(5);
    }
}
