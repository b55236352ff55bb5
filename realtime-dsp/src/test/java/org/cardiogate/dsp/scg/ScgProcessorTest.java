package org.cardiogate.dsp.scg;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import org.cardiogate.sensor.sim.PhysiologySimulator;
import org.cardiogate.sensor.sim.SimulatedBeat;
import org.cardiogate.sensor.sim.SimulatorConfig;
import org.cardiogate.signal.SampleBlock;
import org.junit.jupiter.api.Test;

class ScgProcessorTest {
    private static final SimulatorConfig CONFIG = SimulatorConfig.defaults().withMechanicalNoise(10, 3);

    /** The simulator's beats over {@code seconds} (from a twin simulator: same seed, same beats). */
    private static List<SimulatedBeat> truth(double seconds) {
        PhysiologySimulator sim = new PhysiologySimulator(CONFIG);
        List<SimulatedBeat> truth = new ArrayList<>();
        sim.setListener(truth::add);
        SampleBlock block = new SampleBlock(sim.scgStream(), 10);
        for (int b = 0; b < (int) (seconds * 50); b++) {
            sim.fill(block);
        }
        return truth;
    }

    /** Feeds the SCG block by block, analysing each true beat once its windows have arrived. */
    private static final class Run {
        final PhysiologySimulator sim = new PhysiologySimulator(CONFIG);
        final List<SimulatedBeat> truth;
        final ScgProcessor scg = new ScgProcessor(sim.scgStream(), 0, ScgConfig.defaults(), b -> { });
        final SampleBlock block = new SampleBlock(sim.scgStream(), 10);
        final ScgBeat beat = new ScgBeat();
        int next;
        int found;
        double maxErrorMs;

        Run(List<SimulatedBeat> truth) {
            this.truth = truth;
        }

        void feedBlock() {
            sim.fill(block);
            scg.process(block);
            analyseReady(false);
        }

        void analyseReady(boolean all) {
            while (next < truth.size()) {
                SimulatedBeat t = truth.get(next);
                if (t.rTimeSeconds() * 1e9 > scg.newestNanos()) {
                    return;
                }
                int r = scg.analyse((long) (t.rTimeSeconds() * 1e9), t.rrSeconds(), beat);
                if (r == ScgProcessor.WAIT && !all) {
                    return;
                }
                if (r == ScgProcessor.FOUND) {
                    found++;
                    maxErrorMs = Math.max(maxErrorMs, Math.abs(beat.aoNanos() / 1e9 - t.aoTimeSeconds()) * 1000);
                }
                next++;
            }
        }
    }

    @Test
    void atTheEndOfARecordFindsAoOfTheBeatsWhoseAoWindowIsInTheData() {
        Run run = new Run(truth(40));
        // stop 0.4 s after an R peak: its AO window (R + 40..200 ms) and AO template are in the data, its AC window
        // and the margin the live analysis waits for are not
        double now = 0;
        while (true) {
            run.feedBlock();
            now = run.scg.newestNanos() / 1e9;
            double lastR = Double.NaN;
            for (SimulatedBeat t : run.truth) {
                if (t.rTimeSeconds() <= now) {
                    lastR = t.rTimeSeconds();
                }
            }
            if (now > 20 && now - lastR >= 0.38 && now - lastR < 0.42) {
                break;
            }
        }
        int before = run.found;
        run.scg.finish();
        run.analyseReady(true);
        double end = now;
        long inData = run.truth.stream().filter(t -> t.rTimeSeconds() + 0.2 + 0.13 < end).count();
        System.out.printf("scg end at %.2f s: AO in %d beats (%d before finish), %d with the AO window in the data,"
                + " max error %.2f ms%n", end, run.found, before, inData, run.maxErrorMs);
        assertThat(run.found).as("AO of the last beat, after finish()").isEqualTo(before + 1);
        assertThat((long) run.found).isEqualTo(inData);
        assertThat(run.maxErrorMs).isLessThan(5);
    }

    @Test
    void allocatesNothingPerBlockOrBeatInSteadyState() {
        Run run = new Run(truth(130));
        for (int b = 0; b < 60 * 50; b++) {
            run.feedBlock();
        }
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();
        int found = run.found;
        for (int b = 0; b < 60 * 50; b++) {
            run.feedBlock();
        }
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertThat(run.found - found).as("beats analysed while measured").isGreaterThan(60);
        assertThat(allocated).as("bytes allocated over 60 s of SCG and its beats").isLessThan(1024);
    }
}
