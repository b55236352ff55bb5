package org.cardiogate.dsp.fusion;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.cardiogate.sensor.sim.PhysiologySimulator;
import org.cardiogate.sensor.sim.SimulatedBeat;
import org.cardiogate.sensor.sim.SimulatorConfig;
import org.cardiogate.signal.SampleBlock;

/**
 * Runs the simulator through a {@link FusionEngine} in 20 ms blocks and scores the fused beats against its truth;
 * optionally with {@link Motion} added to the PPG and SCG.
 */
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
    private Motion motion;

    /**
     * Body motion, as a wearer's movements reach a finger or carotid PPG and a chest accelerometer: episodes of
     * {@code durationSeconds} every {@code everySeconds} (the first after 20 s), each a sum of three sines of random
     * frequency in 0.7-2.5 Hz (arm and trunk movement, the band of the pulse itself, so no filter removes it) and a
     * random baseline step at its start (sensor contact or posture change), with peak amplitudes about
     * {@code ppgAu} on the PPG and {@code scgMg} on the SCG. Deterministic for a seed; allocation-free.
     */
    static final class Motion {
        final double every;
        final double duration;
        final double ppgAu;
        final double scgMg;
        private final Random random;
        private final double[] freq = new double[3];
        private final double[] phase = new double[3];
        private final double[] weight = new double[3];
        private long episode = -1;
        private double step;

        Motion(double everySeconds, double durationSeconds, double ppgAu, double scgMg, long seed) {
            this.every = everySeconds;
            this.duration = durationSeconds;
            this.ppgAu = ppgAu;
            this.scgMg = scgMg;
            this.random = new Random(seed);
        }

        /** Whether time {@code t} (s) lies in an episode. */
        boolean active(double t) {
            double u = t - 20;
            return u >= 0 && u % every < duration;
        }

        /** The motion at time t in units of the peak amplitude (about -1..1, plus the episode's step), 0 outside. */
        double at(double t) {
            if (!active(t)) {
                return 0;
            }
            long e = (long) ((t - 20) / every);
            if (e != episode) {
                episode = e;
                for (int k = 0; k < 3; k++) {
                    freq[k] = 0.7 + 1.8 * random.nextDouble();
                    phase[k] = 2 * Math.PI * random.nextDouble();
                    weight[k] = 0.2 + 0.3 * random.nextDouble();
                }
                step = random.nextGaussian() * 0.5;
            }
            double v = step;
            for (int k = 0; k < 3; k++) {
                v += weight[k] * Math.sin(2 * Math.PI * freq[k] * t + phase[k]);
            }
            return v;
        }
    }

    /** Adds motion to the PPG (both channels) and the SCG from now on; null for none. */
    SimulatedFusion motion(Motion m) {
        this.motion = m;
        return this;
    }

    private void addMotion(SampleBlock b, double amplitude) {
        if (motion == null) {
            return;
        }
        double fs = b.stream().nominalRateHz();
        double t0 = b.timestampNanos() / 1e9;
        for (int i = 0; i < b.length(); i++) {
            double m = amplitude * motion.at(t0 + i / fs);
            for (int c = 0; c < b.channelCount(); c++) {
                b.channel(c)[i] += m;
            }
        }
    }

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
            if (motion != null) {
                addMotion(scg, motion.scgMg);
            }
            engine.process(scg);
            sim.fill(ppg);
            if (motion != null) {
                addMotion(ppg, motion.ppgAu);
            }
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
        int footTrue = 0;
        int footWrong = 0;
        int footWrongLowQuality = 0;
        int footRightLowQuality = 0;
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
                double fe = Math.abs(FusedBeat.seconds(b.ppgFootNanos()) - t.ppgFootTimeSeconds()) * 1000;
                foot.add(fe);
                if (fe <= 50) {
                    footTrue++;
                    if (b.qualityPpg() < 0.5) {
                        footRightLowQuality++;
                    }
                } else {
                    footWrong++;
                    if (b.qualityPpg() < 0.5) {
                        footWrongLowQuality++;
                    }
                }
            }
        }
        double first = beats.isEmpty() ? 0 : FusedBeat.seconds(beats.get(0).rNanos());
        double last = beats.isEmpty() ? 0 : FusedBeat.seconds(beats.get(beats.size() - 1).rNanos());
        long expected = truth.stream().filter(t -> t.rTimeSeconds() >= first - 0.01 && t.rTimeSeconds() <= last + 0.01)
                .count();
        return new Scores(median(ao), median(ac), median(foot), 100.0 * aoTrue / expected,
                100.0 * aoTrue / Math.max(1, aoTrue + aoFalse), aoTrue, expected, p95(ao), p95(ac), p95(foot),
                100.0 * footTrue / expected, footWrong, footWrongLowQuality,
                footRightLowQuality);
    }

    /**
     * Errors are absolute, in ms, over the ECG-anchored beats whose AO lies within 50 ms of the truth (AO, AC) or that
     * have a PPG foot (foot); Se and +P of AO in percent; footSe: beats whose PPG foot lies within 50 ms of the true
     * one, percent of the beats expected; footWrong: feet further off, footWrongLowQuality: those of them whose pulse
     * quality was below 0.5 (the PPG quality index caught them); footRightLowQuality: feet within 50 ms with a quality
     * below 0.5 (false alarms of the quality index).
     */
    record Scores(double aoMedianMs, double acMedianMs, double footMedianMs, double aoSe, double aoPp, int aoFound,
                  long expected, double aoP95Ms, double acP95Ms, double footP95Ms, double footSe, int footWrong,
                  int footWrongLowQuality, int footRightLowQuality) {
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
