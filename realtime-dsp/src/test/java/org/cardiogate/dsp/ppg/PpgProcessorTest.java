package org.cardiogate.dsp.ppg;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
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

    /** The simulator's PPG with {@code edit} applied to each block before the processor sees it. */
    interface Edit {
        void apply(SampleBlock block, double t0, double fs);
    }

    record Edited(List<PpgPulse> pulses, List<long[]> artefacts, long rejected) {
    }

    static Edited runEdited(double seconds, Edit edit) {
        PhysiologySimulator sim = new PhysiologySimulator(SimulatorConfig.defaults());
        List<PpgPulse> pulses = new ArrayList<>();
        List<long[]> artefacts = new ArrayList<>();
        PpgProcessor p = new PpgProcessor(sim.ppgStream(), 1, 0, PpgConfig.defaults(), new PulseListener() {
            @Override
            public void onPulse(PpgPulse pulse) {
                pulses.add(pulse.copy());
            }

            @Override
            public void onArtefact(long startNanos, long endNanos, int flags) {
                artefacts.add(new long[] {startNanos, endNanos, flags});
            }
        });
        SampleBlock block = new SampleBlock(sim.ppgStream(), 10);
        double fs = sim.ppgStream().nominalRateHz();
        for (int b = 0; b < (int) (seconds * fs / 10); b++) {
            sim.fill(block);
            edit.apply(block, block.timestampNanos() / 1e9, fs);
            p.process(block);
        }
        p.finish();
        return new Edited(pulses, artefacts, p.rejectedCount());
    }

    @Test
    void aHeldSignalIsAnArtefactStretchWithNoPulseOnIt() {
        // a monitor holding its last value from 40 to 43 s (both channels), as BIDMC's PLETH does in dropouts
        double[] held = new double[2];
        Edited r = runEdited(80, (block, t0, fs) -> {
            for (int i = 0; i < block.length(); i++) {
                double t = t0 + i / fs;
                for (int c = 0; c < 2; c++) {
                    if (t < 40) {
                        held[c] = block.channel(c)[i];
                    } else if (t < 43) {
                        block.channel(c)[i] = held[c];
                    }
                }
            }
        });
        assertThat(r.artefacts()).as("artefact stretches").hasSize(1);
        long[] a = r.artefacts().get(0);
        assertThat(a[2] & PpgPulse.HELD).as("flags").isNotZero();
        assertThat(a[0] / 1e9).as("start").isBetween(38.5, 40.0);
        assertThat(a[1] / 1e9).as("end").isBetween(43.0, 45.0);
        assertThat(r.pulses().stream().filter(p -> p.peakNanos() / 1e9 > 40.05 && p.peakNanos() / 1e9 < 42.95))
                .as("systolic peaks on the held value").isEmpty();
        long clean = r.pulses().stream().filter(p -> p.peakNanos() / 1e9 > 2 && (p.peakNanos() / 1e9 < 39
                || p.peakNanos() / 1e9 > 45)).count();
        assertThat(clean).as("pulses outside the hold (72 bpm)").isGreaterThan((long) (0.99 * 72 * 72 / 60.0));
    }

    @Test
    void aBaselineStepIsNotAPulse() {
        // a step of one pulse amplitude (the simulator's IR AC is 1800 au) within one sample at 50.5 s, in diastole
        // or wherever it falls, as a gain switch or a contact change makes it
        Edited r = runEdited(80, (block, t0, fs) -> {
            for (int i = 0; i < block.length(); i++) {
                if (t0 + i / fs >= 50.5) {
                    block.channel(0)[i] += 3000;
                    block.channel(1)[i] += 3000;
                }
            }
        });
        Run clean = run(SimulatorConfig.defaults(), 80);
        System.out.printf("ppg step: %d pulses (%d without the step), %d rejected, artefacts %d%n", r.pulses().size(),
                clean.pulses().size(), r.rejected(), r.artefacts().size());
        assertThat(r.pulses().size()).as("no extra pulse for the step").isLessThanOrEqualTo(clean.pulses().size());
        assertThat(r.pulses().size()).as("at most the pulse the step lands on is lost")
                .isGreaterThanOrEqualTo(clean.pulses().size() - 1);
    }

    @Test
    void allocatesNothingPerBlockInSteadyState() {
        PhysiologySimulator sim = new PhysiologySimulator(SimulatorConfig.defaults().withMechanicalNoise(60, 3));
        long[] count = new long[1];
        PpgProcessor p = new PpgProcessor(sim.ppgStream(), 1, 0, PpgConfig.defaults(), pulse -> count[0]++);
        SampleBlock block = new SampleBlock(sim.ppgStream(), 10);
        for (int b = 0; b < 60 * 10; b++) {
            sim.fill(block);
            p.process(block);
        }
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();
        for (int b = 0; b < 60 * 10; b++) {
            sim.fill(block);
            p.process(block);
        }
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertThat(count[0]).isGreaterThan(100);
        assertThat(allocated).as("bytes allocated over 60 s of PPG").isLessThan(1024);
    }
}
