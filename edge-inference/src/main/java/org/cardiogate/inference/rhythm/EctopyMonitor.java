package org.cardiogate.inference.rhythm;

import java.util.Arrays;
import java.util.Objects;

import org.cardiogate.signal.AamiClass;
import org.cardiogate.signal.CardiacEvent;
import org.cardiogate.signal.EventType;

/**
 * Ventricular ectopy patterns from classified beats: ventricular tachycardia (a run of at least {@code vtMinBeats}
 * consecutive V beats whose rate is at least {@code vtMinBpm}), and runs of bigeminy (N V repeated) and trigeminy
 * (N N V repeated) of at least {@code patternMinCycles}.
 *
 * <p>VT is reported at onset (offset -1) as soon as the run qualifies, so the alarm does not wait for its end, and
 * again closed when a non-V beat ends it. Beats must arrive in order with their class; a noisy beat ends every run
 * without reporting patterns. Not thread-safe: one thread.
 */
public final class EctopyMonitor {
    /**
     * @param vtMinBeats       consecutive V beats that make VT (3-10)
     * @param vtMinBpm         lowest rate of a VT run, beats per minute
     * @param patternMinCycles repetitions that make bigeminy or trigeminy
     */
    public record Config(int vtMinBeats, double vtMinBpm, int patternMinCycles) {
        /** VT: 4 beats at 100 bpm or faster; bigeminy and trigeminy: 4 cycles. */
        public static final Config DEFAULTS = new Config(4, 100, 4);

        public Config {
            if (vtMinBeats < 3 || vtMinBeats > 10) {
                throw new IllegalArgumentException("vt.minBeats must be between 3 and 10, got " + vtMinBeats);
            }
            if (!(vtMinBpm >= 60 && vtMinBpm <= 250)) {
                throw new IllegalArgumentException("vt.minBpm must be between 60 and 250, got " + vtMinBpm);
            }
            if (patternMinCycles < 2 || patternMinCycles > 20) {
                throw new IllegalArgumentException("ectopy.patternMinCycles must be between 2 and 20, got " + patternMinCycles);
            }
        }
    }

    private static final int MAX_RUN = 256;

    private final String streamId;
    private final double fs;
    private final Config config;
    private final AfDetector.RhythmMonitorTime time;
    private final RhythmSink sink;
    private final long[] run = new long[MAX_RUN];
    private int runLength;
    private boolean vtOpen;
    private long vtOnset;
    private long previousBeat = -1;

    /** Pattern state: length in beats of the current N V / N N V sequence and its start. */
    private int bigeminyBeats;
    private long bigeminyStart;
    private int trigeminyBeats;
    private long trigeminyStart;
    private long lastBeatSample;
    private final boolean[] lastV = new boolean[3];

    public EctopyMonitor(String streamId, double sampleRateHz, Config config, AfDetector.RhythmMonitorTime time,
                         RhythmSink sink) {
        this.streamId = Objects.requireNonNull(streamId);
        this.fs = sampleRateHz;
        this.config = Objects.requireNonNull(config);
        this.time = Objects.requireNonNull(time);
        this.sink = Objects.requireNonNull(sink);
    }

    /** One classified beat, in R-peak order. */
    public void onBeat(long sample, AamiClass beatClass, boolean noisy) {
        if (noisy) {
            endVt(previousBeat);
            runLength = 0;
            bigeminyBeats = 0;
            trigeminyBeats = 0;
            Arrays.fill(lastV, false);
            previousBeat = -1;
            return;
        }
        boolean v = beatClass == AamiClass.V;
        if (v) {
            if (runLength < MAX_RUN) {
                run[runLength++] = sample;
            }
            int k = config.vtMinBeats();
            if (!vtOpen && runLength >= k) {
                double meanRr = (run[runLength - 1] - run[runLength - k]) / (fs * (k - 1));
                double bpm = 60 / meanRr;
                if (bpm >= config.vtMinBpm()) {
                    vtOpen = true;
                    vtOnset = run[runLength - k];
                    sink.onEvent(new CardiacEvent(streamId, EventType.VT, vtOnset, -1, time.timestampOf(vtOnset),
                            String.format(java.util.Locale.ROOT, "%d V beats at %.0f bpm", k, bpm)),
                            Arrays.copyOfRange(run, runLength - k, runLength));
                }
            }
        } else {
            endVt(previousBeat);
            runLength = 0;
        }
        updatePatterns(sample, v);
        previousBeat = sample;
    }

    /** End of input. */
    public void finish(long lastSample) {
        endVt(previousBeat >= 0 ? previousBeat : lastSample);
        flushPatterns();
    }

    private void endVt(long lastV) {
        if (!vtOpen) {
            return;
        }
        int start = 0;
        while (start < runLength && run[start] < vtOnset) {
            start++;
        }
        long[] evidence = Arrays.copyOfRange(run, start, runLength);
        sink.onEvent(new CardiacEvent(streamId, EventType.VT, vtOnset, lastV, time.timestampOf(vtOnset),
                evidence.length + " V beats"), evidence);
        vtOpen = false;
    }

    private void updatePatterns(long sample, boolean v) {
        lastV[0] = lastV[1];
        lastV[1] = lastV[2];
        lastV[2] = v;
        // bigeminy: beats alternate; extend while the alternation holds
        if (bigeminyBeats > 0 && v != lastV[1]) {
            bigeminyBeats++;
        } else {
            reportPattern("BIGEMINY", bigeminyStart, bigeminyBeats / 2);
            bigeminyBeats = 1;
            bigeminyStart = sample;
        }
        // trigeminy: every third beat V, exactly
        boolean expectV = trigeminyBeats % 3 == 2;
        if (trigeminyBeats > 0 && v == expectV) {
            trigeminyBeats++;
        } else {
            reportPattern("TRIGEMINY", trigeminyStart, trigeminyBeats / 3);
            trigeminyBeats = v ? 0 : 1;
            trigeminyStart = sample;
        }
        lastBeatSample = sample;
    }

    private void flushPatterns() {
        reportPattern("BIGEMINY", bigeminyStart, bigeminyBeats / 2);
        reportPattern("TRIGEMINY", trigeminyStart, trigeminyBeats / 3);
        bigeminyBeats = 0;
        trigeminyBeats = 0;
    }

    private void reportPattern(String name, long start, int cycles) {
        if (cycles >= config.patternMinCycles()) {
            sink.onPattern(streamId, name, start, lastBeatSample, cycles);
        }
    }
}
