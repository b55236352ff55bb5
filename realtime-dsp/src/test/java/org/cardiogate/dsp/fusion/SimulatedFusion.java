package org.cardiogate.dsp.fusion;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.cardiogate.sensor.sim.PhysiologySimulator;
import org.cardiogate.sensor.sim.SimulatedBeat;
import org.cardiogate.sensor.sim.SimulatorConfig;
import org.cardiogate.signal.SampleBlock;

/** Runs the simulator through a {@link FusionEngine} in 20 ms blocks and scores the fused beats against its truth. */
final class SimulatedFusion implements FusedBeatListener {
    final List<FusedBeat> beats = new ArrayList<>();
    final List<SimulatedBeat> truth = new ArrayList<>();
    final List<double[]> rates = new ArrayList<>();
    final List<HeartRateSource> sources = new ArrayList<>();
    final PhysiologySimulator sim;
    final FusionEngine engine;
    private final SampleBlock ecg;
    private final SampleBlock ppg;
    private final SampleBlock scg;
    private boolean record = true;

    SimulatedFusion(SimulatorConfig config) {
        sim = new PhysiologySimulator(config);
        sim.setListener(truth::add);
        engine = new FusionEngine(FusionConfig.defaults(), sim.ecgStream(), 1, sim.ppgStream(), 1, 0, sim.scgStream(), 0,
                this);
        ecg = new SampleBlock(sim.ecgStream(), (int) Math.round(config.ecgRateHz() / 50));
        ppg = new SampleBlock(sim.ppgStream(), (int) Math.round(config.ppgRateHz() / 50));
        scg = new SampleBlock(sim.scgStream(), (int) Math.round(config.scgRateHz() / 50));
    }

    /** Feeds {@code seconds} of all three streams; with {@code ecgOn} false the ECG is generated but not delivered. */
    void run(double seconds, boolean ecgOn) {
        int blocks = (int) Math.round(seconds * 50);
        for (int b = 0; b < blocks; b++) {
            sim.fill(ecg);
            if (ecgOn) {
                engine.process(ecg);
            }
            sim.fill(scg);
            engine.process(scg);
            sim.fill(ppg);
            engine.process(ppg);
        }
    }

    void recording(boolean on) {
        record = on;
    }

    @Override
    public void onBeat(FusedBeat beat) {
        if (record) {
            beats.add(beat.copy());
        }
    }

    @Override
    public void onHeartRate(long nanos, double bpm, HeartRateSource source) {
        if (record) {
            rates.add(new double[] {nanos / 1e9, bpm});
            sources.add(source);
        }
    }

    SimulatedBeat truthAt(double rSeconds) {
        for (SimulatedBeat t : truth) {
            if (Math.abs(t.rTimeSeconds() - rSeconds) < 0.05) {
                return t;
            }
        }
        return null;
    }

    /** Scores of the ECG-anchored beats: {AO, AC, foot} absolute errors (ms), AO Se and +P (%). */
    Scores score() {
        List<Double> ao = new ArrayList<>();
        List<Double> ac = new ArrayList<>();
        List<Double> foot = new ArrayList<>();
        int aoTrue = 0;
        int aoFalse = 0;
        for (FusedBeat b : beats) {
            if (b.rNanos() == FusedBeat.NONE || b.aoNanos() == FusedBeat.NONE) {
                continue;
            }
            SimulatedBeat t = truthAt(FusedBeat.seconds(b.rNanos()));
            if (t == null) {
                aoFalse++;
                continue;
            }
            double e = Math.abs(FusedBeat.seconds(b.aoNanos()) - t.aoTimeSeconds()) * 1000;
            if (e <= 50) {
                aoTrue++;
                ao.add(e);
            } else {
                aoFalse++;
            }
            if (b.acNanos() != FusedBeat.NONE) {
                ac.add(Math.abs(FusedBeat.seconds(b.acNanos()) - t.acTimeSeconds()) * 1000);
            }
            if (b.ppgFootNanos() != FusedBeat.NONE) {
                foot.add(Math.abs(FusedBeat.seconds(b.ppgFootNanos()) - t.ppgFootTimeSeconds()) * 1000);
            }
        }
        double first = beats.isEmpty() ? 0 : FusedBeat.seconds(beats.get(0).rNanos());
        double last = beats.isEmpty() ? 0 : FusedBeat.seconds(beats.get(beats.size() - 1).rNanos());
        long expected = truth.stream().filter(t -> t.rTimeSeconds() >= first - 0.01 && t.rTimeSeconds() <= last + 0.01)
                .count();
        return new Scores(median(ao), median(ac), median(foot), 100.0 * aoTrue / expected,
                100.0 * aoTrue / Math.max(1, aoTrue + aoFalse), aoTrue, expected, p95(ao), p95(ac), p95(foot));
    }

    record Scores(double aoMedianMs, double acMedianMs, double footMedianMs, double aoSe, double aoPp, int aoFound,
                  long expected, double aoP95Ms, double acP95Ms, double footP95Ms) {
    }

    static double median(List<Double> v) {
        return quantile(v, 0.5);
    }

    static double p95(List<Double> v) {
        return quantile(v, 0.95);
    }

    static double quantile(List<Double> v, double q) {
        if (v.isEmpty()) {
            return Double.NaN;
        }
        double[] s = v.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(s);
        double pos = q * (s.length - 1);
        int i = (int) Math.floor(pos);
        return i + 1 < s.length ? s[i] + (pos - i) * (s[i + 1] - s[i]) : s[i];
    }
}
