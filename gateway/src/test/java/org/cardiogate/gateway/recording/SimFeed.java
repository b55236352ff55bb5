package org.cardiogate.gateway.recording;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import org.cardiogate.sensor.sim.PhysiologySimulator;
import org.cardiogate.sensor.sim.SimulatedBeat;
import org.cardiogate.sensor.sim.SimulatorConfig;
import org.cardiogate.signal.AamiClass;
import org.cardiogate.signal.Beat;
import org.cardiogate.signal.ManualClock;
import org.cardiogate.signal.PipelineOutput;
import org.cardiogate.signal.SampleBlock;
import org.cardiogate.signal.StreamDescriptor;

/**
 * Drives a {@link RecordingService} as the pipeline's output thread would: the simulator's ECG (500 Hz, leads I and
 * II), PPG (100 Hz) and SCG (500 Hz) in 0.1 s blocks, and each simulated beat as a {@link Beat} once its R peak's block
 * has been handed over. The monotonic clock follows the samples; the wall clock is {@link #BASE} plus it.
 */
final class SimFeed {
    /** Wall-clock time of sample 0; not on a whole second, so the recorder's alignment is exercised. */
    static final Instant BASE = Instant.parse("2026-11-21T10:00:00.300Z");
    static final double ECG_HZ = 500;

    final PhysiologySimulator sim;
    final ManualClock mono = new ManualClock(0);
    final Clock wall = new Clock() {
        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return BASE.plusNanos(mono.nanoTime());
        }
    };
    final List<SimulatedBeat> beats = new ArrayList<>();
    private final List<SimulatedBeat> pending = new ArrayList<>();
    private final SampleBlock ecg;
    private final SampleBlock ppg;
    private final SampleBlock scg;
    private long ticks;

    SimFeed(long seed) {
        sim = new PhysiologySimulator(SimulatorConfig.defaults().withSeed(seed));
        sim.setListener(b -> {
            synchronized (pending) {
                pending.add(b);
            }
        });
        ecg = new SampleBlock(sim.ecgStream(), 50);
        ppg = new SampleBlock(sim.ppgStream(), 10);
        scg = new SampleBlock(sim.scgStream(), 50);
    }

    List<StreamDescriptor> streams() {
        return sim.streams();
    }

    /** Generates the next 0.1 s of every stream and hands the blocks over, the ECG unless {@code dropEcg}. */
    void tick(Consumer<SampleBlock> waveform, PipelineOutput out, boolean dropEcg) {
        sim.fill(ecg);
        sim.fill(ppg);
        sim.fill(scg);
        ticks++;
        mono.set(ticks * 100_000_000L);
        if (!dropEcg) {
            waveform.accept(ecg);
        }
        waveform.accept(ppg);
        waveform.accept(scg);
        List<SimulatedBeat> due = new ArrayList<>();
        synchronized (pending) {
            pending.removeIf(b -> {
                if (b.rSample() < ecg.nextSequence()) {
                    due.add(b);
                    return true;
                }
                return false;
            });
        }
        for (SimulatedBeat b : due) {
            beats.add(b);
            AamiClass c = switch (b.kind()) {
                case PVC -> AamiClass.V;
                case PAC -> AamiClass.S;
                default -> AamiClass.N;
            };
            out.onBeat(new Beat(PhysiologySimulator.ECG_STREAM_ID, b.rSample(), Math.round(b.rTimeSeconds() * 1e9), c,
                    b.rrSeconds(), 72));
        }
    }

    void seconds(double s, RecordingService service) {
        for (int i = 0; i < Math.round(s * 10); i++) {
            tick(service, service, false);
        }
    }

    /** Leads I and II of the first {@code n} ECG samples of a simulator with this seed (the same for any blocking). */
    static double[][] referenceEcg(long seed, int n) {
        PhysiologySimulator sim = new PhysiologySimulator(SimulatorConfig.defaults().withSeed(seed));
        SampleBlock b = new SampleBlock(sim.ecgStream(), 500);
        double[][] out = new double[2][n];
        for (int at = 0; at < n; at += 500) {
            sim.fill(b);
            int k = Math.min(500, n - at);
            System.arraycopy(b.channel(0), 0, out[0], at, k);
            System.arraycopy(b.channel(1), 0, out[1], at, k);
        }
        return out;
    }

    /** The ECG sample number of a file's first sample, from its start time (the file starts on a whole second). */
    static long firstEcgSample(java.time.LocalDateTime start) {
        long nanos = java.time.Duration.between(BASE, start.toInstant(ZoneOffset.UTC)).toNanos();
        return Math.round(nanos * ECG_HZ / 1e9);
    }
}
