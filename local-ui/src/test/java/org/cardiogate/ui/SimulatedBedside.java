package org.cardiogate.ui;

import java.util.ArrayDeque;
import java.util.List;

import org.cardiogate.sensor.sim.PhysiologySimulator;
import org.cardiogate.sensor.sim.SimulatedBeat;
import org.cardiogate.sensor.sim.SimulatorConfig;
import org.cardiogate.signal.Beat;
import org.cardiogate.signal.Channel;
import org.cardiogate.signal.Modality;
import org.cardiogate.signal.SampleBlock;
import org.cardiogate.signal.StreamDescriptor;
import org.cardiogate.signal.Vital;

/**
 * Feeds a {@link LiveState} in real time from the {@link PhysiologySimulator}: a 12-lead ECG at 500 Hz (I and II
 * from the simulator, III and the augmented leads from Einthoven and Goldberger, V1-V6 as fixed mixtures of I and II
 * that look plausible but are not a torso model), PPG (red, IR) at 100 Hz, SCG at 500 Hz, beats with their AAMI class,
 * heart rate from the mean of the last four RR intervals, SpO2, PAT and PEP from the simulator's ground truth and a
 * Bazett QTc. Runs on its own thread; 20 ms blocks.
 */
final class SimulatedBedside implements AutoCloseable {
    private static final double[][] PRECORDIAL = {{-0.2, -0.35}, {0.1, -0.25}, {0.35, 0.15}, {0.5, 0.55},
            {0.6, 0.55}, {0.55, 0.4}};

    private final LiveState live;
    private final PhysiologySimulator sim;
    private final Thread thread;
    private final ArrayDeque<Double> rrs = new ArrayDeque<>();
    private volatile boolean running = true;

    SimulatedBedside(LiveState live, double bpm) {
        this.live = live;
        this.sim = new PhysiologySimulator(SimulatorConfig.defaults().withSeed(7).withHeartRate(bpm)
                .withEcgNoise(0.04, 0.01, 0.0));
        this.thread = Thread.ofPlatform().daemon().name("simulated-bedside").start(this::run);
    }

    void setHeartRate(double bpm) {
        sim.setHeartRate(bpm);
    }

    private void run() {
        StreamDescriptor ecg12 = new StreamDescriptor("ecg", PhysiologySimulator.SENSOR, Modality.ECG,
                List.of(new Channel("I", "mV"), new Channel("II", "mV"), new Channel("III", "mV"),
                        new Channel("aVR", "mV"), new Channel("aVL", "mV"), new Channel("aVF", "mV"),
                        new Channel("V1", "mV"), new Channel("V2", "mV"), new Channel("V3", "mV"),
                        new Channel("V4", "mV"), new Channel("V5", "mV"), new Channel("V6", "mV")), 500);
        int ecgBlock = 10;
        SampleBlock ecgRaw = new SampleBlock(sim.ecgStream(), ecgBlock);
        SampleBlock ecgOut = new SampleBlock(ecg12, ecgBlock);
        SampleBlock ppg = new SampleBlock(sim.ppgStream(), 2);
        SampleBlock scg = new SampleBlock(sim.scgStream(), ecgBlock);
        sim.setListener(this::onBeat);
        long start = System.nanoTime();
        long ticks = 0;
        while (running) {
            sim.fill(ecgRaw);
            ecgOut.begin(ecgRaw.firstSequence(), ecgRaw.timestampNanos());
            for (int i = 0; i < ecgRaw.length(); i++) {
                double a = ecgRaw.get(0, i);
                double b = ecgRaw.get(1, i);
                ecgOut.set(0, i, a);
                ecgOut.set(1, i, b);
                ecgOut.set(2, i, b - a);
                ecgOut.set(3, i, -(a + b) / 2);
                ecgOut.set(4, i, a - b / 2);
                ecgOut.set(5, i, b - a / 2);
                for (int v = 0; v < 6; v++) {
                    ecgOut.set(6 + v, i, PRECORDIAL[v][0] * a + PRECORDIAL[v][1] * b
                            + (v < 2 ? -0.6 : 0.9) * Math.max(0, b) * (v + 1) / 6.0);
                }
            }
            ecgOut.setLength(ecgRaw.length());
            live.onSamples(ecgOut);
            sim.fill(ppg);
            live.onSamples(ppg);
            sim.fill(scg);
            live.onSamples(scg);
            ticks++;
            long due = start + ticks * 20_000_000L;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                java.util.concurrent.locks.LockSupport.parkNanos(wait);
            }
        }
    }

    private void onBeat(SimulatedBeat b) {
        long nanos = Math.round(b.rTimeSeconds() * 1e9);
        double bpm = Double.NaN;
        if (!Double.isNaN(b.rrSeconds())) {
            rrs.addLast(b.rrSeconds());
            if (rrs.size() > 4) {
                rrs.removeFirst();
            }
            double sum = 0;
            for (double rr : rrs) {
                sum += rr;
            }
            bpm = 60 / (sum / rrs.size());
        }
        live.onBeat(new Beat("ecg", b.rSample(), nanos, b.kind().aamiClass(),
                b.rrSeconds(), bpm));
        live.onVital(new Vital("ecg", Vital.HEART_RATE, bpm, "bpm", b.rSample(), nanos, "ecg"));
        live.onVital(new Vital("ppg", "spo2", 97, "%", b.rSample() / 5, nanos, "ppg red/IR"));
        live.onVital(new Vital("ppg", "pat_ms", b.patSeconds() * 1000, "ms", b.rSample() / 5, nanos, "ecg+ppg"));
        live.onVital(new Vital("scg", "pep_ms", b.pepSeconds() * 1000, "ms", b.rSample(), nanos, "ecg+scg"));
        if (!Double.isNaN(b.rrSeconds())) {
            double qt = 0.39 * Math.pow(b.rrSeconds(), 0.4);
            live.onVital(new Vital("ecg", "qtc_ms", qt / Math.sqrt(b.rrSeconds()) * 1000, "ms", b.rSample(), nanos,
                    "ecg lead II"));
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join(5000);
    }
}
