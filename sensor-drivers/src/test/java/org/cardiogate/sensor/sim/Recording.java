package org.cardiogate.sensor.sim;

import java.util.ArrayList;
import java.util.List;

import org.cardiogate.signal.SampleBlock;
import org.cardiogate.signal.StreamDescriptor;

/** Pulls a simulator's three streams into arrays, interleaved block by block, and collects the ground truth. */
final class Recording {
    final List<SimulatedBeat> beats = new ArrayList<>();
    final double[] leadI;
    final double[] leadII;
    final double[] red;
    final double[] ir;
    final double[] scg;
    final double ecgRate;
    final double ppgRate;
    final double scgRate;

    private Recording(int ecgN, int ppgN, int scgN, SimulatorConfig c) {
        leadI = new double[ecgN];
        leadII = new double[ecgN];
        red = new double[ppgN];
        ir = new double[ppgN];
        scg = new double[scgN];
        ecgRate = c.ecgRateHz();
        ppgRate = c.ppgRateHz();
        scgRate = c.scgRateHz();
    }

    static Recording of(SimulatorConfig config, double seconds) {
        return of(new PhysiologySimulator(config), seconds, 0.02);
    }

    /** Records {@code seconds} of every stream in blocks of {@code blockSeconds}, all streams advancing together. */
    static Recording of(PhysiologySimulator sim, double seconds, double blockSeconds) {
        SimulatorConfig c = sim.config();
        Recording r = new Recording((int) (seconds * c.ecgRateHz()), (int) (seconds * c.ppgRateHz()),
                (int) (seconds * c.scgRateHz()), c);
        sim.setListener(r.beats::add);
        int[] done = new int[3];
        double t = 0;
        while (done[0] < r.leadI.length || done[1] < r.red.length || done[2] < r.scg.length) {
            t += blockSeconds;
            done[0] = r.pull(sim, sim.ecgStream(), done[0], t, r.leadI, r.leadII);
            done[1] = r.pull(sim, sim.ppgStream(), done[1], t, r.red, r.ir);
            done[2] = r.pull(sim, sim.scgStream(), done[2], t, r.scg, null);
        }
        return r;
    }

    private int pull(PhysiologySimulator sim, StreamDescriptor d, int done, double until, double[] a, double[] b) {
        int target = (int) Math.min(a.length, Math.round(until * d.nominalRateHz()));
        if (target <= done) {
            return done;
        }
        SampleBlock block = new SampleBlock(d, target - done);
        sim.fill(block);
        System.arraycopy(block.channel(0), 0, a, done, block.length());
        if (b != null) {
            System.arraycopy(block.channel(1), 0, b, done, block.length());
        }
        return target;
    }

    /** Beats whose whole mechanical beat lies inside the recording. */
    List<SimulatedBeat> completeBeats() {
        double end = leadI.length / ecgRate - 1.0;
        return beats.stream().filter(b -> b.index() > 0 && b.acTimeSeconds() < end && b.ppgPeakTimeSeconds() < end)
                .toList();
    }

    static int argMax(double[] x, int from, int to) {
        int best = Math.max(0, from);
        for (int i = best; i <= Math.min(to, x.length - 1); i++) {
            if (x[i] > x[best]) {
                best = i;
            }
        }
        return best;
    }

    static double max(double[] x, int from, int to) {
        return x[argMax(x, from, to)];
    }

    static double min(double[] x, int from, int to) {
        double m = Double.POSITIVE_INFINITY;
        for (int i = Math.max(0, from); i <= Math.min(to, x.length - 1); i++) {
            m = Math.min(m, x[i]);
        }
        return m;
    }

    static int index(double seconds, double rate) {
        return (int) Math.round(seconds * rate);
    }
}
