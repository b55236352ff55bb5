package org.cardiogate.gateway.pipeline;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;

import org.cardiogate.dsp.EcgBeatListener;
import org.cardiogate.dsp.EcgProcessor;
import org.cardiogate.dsp.fusion.FusedBeat;
import org.cardiogate.dsp.fusion.FusedBeatListener;
import org.cardiogate.dsp.fusion.FusionConfig;
import org.cardiogate.dsp.fusion.FusionEngine;
import org.cardiogate.dsp.ppg.PpgPulse;
import org.cardiogate.dsp.fusion.HeartRateSource;
import org.cardiogate.dsp.latency.LatencyStats;
import org.cardiogate.inference.beat.BeatFeatureExtractor;
import org.cardiogate.inference.beat.InferenceWorker;
import org.cardiogate.sensor.SensorSource;
import org.cardiogate.signal.BlockRing;
import org.cardiogate.signal.Modality;
import org.cardiogate.signal.MonotonicClock;
import org.cardiogate.signal.SampleBlock;
import org.cardiogate.signal.SequenceTracker;
import org.cardiogate.signal.StreamDescriptor;

/**
 * The real-time DSP thread: a duty-cycle loop that drains every stream's ring, runs the ECG processors and hands
 * beats on as primitives through a {@link BeatQueue}. No locks, no I/O, no allocation per block in steady state;
 * when there is nothing to do it parks for a millisecond.
 *
 * <p>Streams without a processor yet (PPG, SCG until their DSP lands) are drained and sequence-checked so their
 * rings never overflow.
 */
final class RealtimeLoop implements Runnable {
    /** Processing time allowed per block before it counts as an overrun (blocks are ~20 ms of signal). */
    static final long BLOCK_BUDGET_NANOS = 2_000_000L;
    /** Blocks of waveform copies kept for the outputs: about 1.3 s at 20 ms blocks. */
    static final int TAP_SLOTS = 64;

    private final List<BlockRing> rings = new ArrayList<>();
    private final List<EcgProcessor> processors = new ArrayList<>();
    private final List<SequenceTracker> trackers = new ArrayList<>();
    /** Copies of every block for the waveform outputs (MQTT, page), drained by the output thread. */
    private final List<BlockRing> taps = new ArrayList<>();
    private final BeatQueue beats;
    /** ECG, PPG and SCG fused per beat, when the source has PPG or SCG besides ECG; else null. */
    private final FusionEngine fusion;
    /** Per ECG stream: the sequence number after the last processed sample, read by the output thread. */
    private final AtomicLongArray progress;
    /** Per source stream: samples received and the monotonic time of the last block (read by status). */
    private final java.util.concurrent.atomic.AtomicLongArray received;
    private final java.util.concurrent.atomic.AtomicLongArray lastBlockNanos;
    private final List<SequenceTracker> allTrackers = new ArrayList<>();
    private volatile boolean running = true;
    private volatile long blocksProcessed;
    /** Duty cycles run: advances even with no sensor data, so only a hung loop stops it (watchdog). */
    private volatile long cycles;
    private Thread thread;

    /** Beat features for the classifier, on the first ECG stream; null without a classifier. */
    private final BeatFeatureExtractor features;
    private final int featureLead;

    RealtimeLoop(SensorSource source, List<StreamDescriptor> ecgStreams, BeatQueue beats, InferenceWorker worker) {
        this.beats = beats;
        StreamDescriptor first = ecgStreams.get(0);
        // the classifier was trained on MIT-BIH's first lead (MLII): use lead II where there is one
        this.featureLead = Math.max(0, first.channelIndex("II"));
        this.features = worker == null ? null
                : new BeatFeatureExtractor(first.nominalRateHz(), (r, window, rr) -> worker.submit(0, r, window, rr));
        this.progress = new AtomicLongArray(ecgStreams.size());
        this.fusion = fusionFor(source.streams(), ecgStreams);
        this.received = new java.util.concurrent.atomic.AtomicLongArray(source.streams().size());
        this.lastBlockNanos = new java.util.concurrent.atomic.AtomicLongArray(source.streams().size());
        for (StreamDescriptor s : source.streams()) {
            allTrackers.add(new SequenceTracker(Math.max(1, Math.round(s.nominalRateHz()))));
            BlockRing ring = source.ring(s.streamId());
            rings.add(ring);
            taps.add(new BlockRing(s, TAP_SLOTS, ring.blockCapacity()));
            int ecgIndex = ecgStreams.indexOf(s);
            if (s.modality() == Modality.ECG && ecgIndex >= 0) {
                processors.add(EcgProcessor.builder(s, listener(ecgIndex))
                        .leads(s.channelCount() > 1 ? new int[] {0, 1} : new int[] {0})
                        .timing(MonotonicClock.SYSTEM, BLOCK_BUDGET_NANOS).build());
                trackers.add(null);
            } else {
                processors.add(null);
                trackers.add(new SequenceTracker(Math.max(1, Math.round(s.nominalRateHz()))));
            }
        }
    }

    /** Samples received so far from source stream {@code i}. */
    long received(int i) {
        return received.getAcquire(i);
    }

    /** Monotonic time of the first sample of the last block of source stream {@code i}, 0 before any. */
    long lastBlockNanos(int i) {
        return lastBlockNanos.getAcquire(i);
    }

    /** Samples lost (sequence gaps) on source stream {@code i}; approximate when read from another thread. */
    long lostSamples(int i) {
        return allTrackers.get(i).lostSamples();
    }

    /** Signal quality of ECG processor on source stream {@code i}: 1 good, 0.5 acceptable, 0 unusable, NaN none. */
    double quality(int i) {
        EcgProcessor p = processors.get(i);
        if (p == null) {
            return Double.NaN;
        }
        return switch (p.quality()) {
            case GOOD -> 1.0;
            case ACCEPTABLE -> 0.5;
            case UNUSABLE -> 0.0;
        };
    }

    /** True when heart rate comes from the fusion of ECG, SCG and PPG (the best modality by quality). */
    boolean fused() {
        return fusion != null;
    }

    private FusionEngine fusionFor(List<StreamDescriptor> all, List<StreamDescriptor> ecgStreams) {
        StreamDescriptor ecg = ecgStreams.isEmpty() ? null : ecgStreams.get(0);
        StreamDescriptor ppg = all.stream().filter(s -> s.modality() == Modality.PPG).findFirst().orElse(null);
        StreamDescriptor scg = all.stream().filter(s -> s.modality() == Modality.SCG).findFirst().orElse(null);
        if (ecg == null || (ppg == null && scg == null)) {
            return null;
        }
        int ir = ppg == null ? 0 : Math.max(0, ppg.channelIndex("ir"));
        int red = ppg == null ? -1 : ppg.channelIndex("red");
        int axis = scg == null ? 0 : Math.max(0, scg.channelIndex("z"));
        // lead II when there is one: the largest R on the simulator and on most chest placements
        int lead = Math.max(0, ecg.channelIndex("II"));
        return new FusionEngine(FusionConfig.defaults(), ecg, lead, ppg, ir, red, scg, axis, new FusedBeatListener() {
            @Override
            public void onBeat(FusedBeat beat) {
                beats.offer(BeatQueue.FUSED, 0, beat.rSample(), beat.rNanos(), beat.pepMs(), beat.patMs(), beat.lvetMs());
                if (!Double.isNaN(beat.qtMs()) && beat.heartRateBpm() > 0) {
                    beats.offer(BeatQueue.INTERVALS, 0, beat.rSample(), beat.rNanos(), beat.qtMs(),
                            60.0 / beat.heartRateBpm(), beat.qrsMs());
                }
            }

            @Override
            public void onPulse(PpgPulse pulse) {
                if (!Double.isNaN(pulse.spo2Percent())) {
                    beats.offer(BeatQueue.SPO2, 0, -1, pulse.peakNanos(), pulse.spo2Percent(),
                            pulse.perfusionIndexPercent(), pulse.quality());
                }
            }

            @Override
            public void onHeartRate(long nanos, double bpm, HeartRateSource source) {
                beats.offer(BeatQueue.HEART_RATE, 0, -1, nanos, bpm, source.ordinal());
            }
        });
    }

    private EcgBeatListener listener(int streamIndex) {
        return new EcgBeatListener() {
            @Override
            public void onBeat(long sample, long timestampNanos, double rrSeconds, double heartRateBpm, double amplitude) {
                beats.offer(streamIndex, sample, timestampNanos, rrSeconds, heartRateBpm);
                if (features != null && streamIndex == 0) {
                    features.onBeat(sample);
                }
            }

            @Override
            public void onNoiseOnset(long startSample, int flags) {
                beats.offer(BeatQueue.NOISE_ONSET, streamIndex, startSample, 0, flags, Double.NaN);
            }

            @Override
            public void onNoise(long startSample, long endSample, int flags) {
                beats.offer(BeatQueue.NOISE_END, streamIndex, startSample, 0, endSample, flags);
            }
        };
    }

    /** Latency statistics of each ECG stream's processing, in stream order (allocates: off the hot path). */
    List<LatencyStats> latency() {
        List<LatencyStats> out = new ArrayList<>();
        for (EcgProcessor p : processors) {
            if (p != null) {
                p.latency().ifPresent(out::add);
            }
        }
        return out;
    }

    void start() {
        thread = Thread.ofPlatform().name("dsp").daemon(true).start(this);
    }

    @Override
    public void run() {
        while (running) {
            cycles++;
            if (doWork() == 0) {
                LockSupport.parkNanos(1_000_000L);
            }
        }
    }

    /** One duty cycle: every ring drained once; returns the number of blocks processed. */
    int doWork() {
        int work = 0;
        int ecg = 0;
        for (int i = 0; i < rings.size(); i++) {
            BlockRing ring = rings.get(i);
            EcgProcessor p = processors.get(i);
            SampleBlock b;
            while ((b = ring.peek()) != null) {
                allTrackers.get(i).accept(b.firstSequence(), b.length());
                received.setRelease(i, received.getPlain(i) + b.length());
                lastBlockNanos.setRelease(i, b.timestampNanos());
                if (fusion != null) {
                    fusion.process(b);
                }
                if (features != null && p != null && ecg == 0) {
                    features.process(b.firstSequence(), b.channel(featureLead), 0, b.length());
                }
                if (p != null) {
                    p.process(b);
                    progress.setRelease(ecg, b.nextSequence());
                } else {
                    trackers.get(i).accept(b.firstSequence(), b.length());
                }
                SampleBlock copy = taps.get(i).claim();
                if (copy != null) {   // a full tap is an overrun counted by the tap ring: waveforms are best effort
                    copy.copyFrom(b);
                    taps.get(i).publish();
                }
                ring.release();
                work++;
            }
            if (p != null) {
                ecg++;
            }
        }
        if (work > 0) {
            blocksProcessed += work;
        }
        return work;
    }

    /** The waveform tap rings, one per source stream, in source order (consumer: the output thread). */
    List<BlockRing> taps() {
        return taps;
    }

    /** Sequence number after the last processed sample of an ECG stream (approximate across threads). */
    long progress(int ecgStreamIndex) {
        return progress.getAcquire(ecgStreamIndex);
    }

    long cycles() {
        return cycles;
    }

    long blocksProcessed() {
        return blocksProcessed;
    }

    void stop() {
        running = false;
        if (thread != null) {
            try {
                thread.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
