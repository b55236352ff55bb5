package org.cardiogate.inference.rhythm;

import java.util.Arrays;
import java.util.Objects;
import java.util.function.Consumer;

import org.cardiogate.signal.CardiacEvent;
import org.cardiogate.signal.EventType;

/**
 * Atrial fibrillation from RR irregularity over a short window of beats. For each beat the detector takes the last
 * {@code windowBeats} RR intervals and computes their irregularity: the median of the absolute successive RR
 * differences divided by the median RR. Medians make a few ectopic beats (each disturbs two differences) count
 * for little, and RR pairs around beats flagged ectopic (ventricular, from the classifier) are left out. AF starts
 * when the irregularity exceeds {@code onThreshold} and ends when it falls below {@code offThreshold}
 * (hysteresis).
 *
 * <p>The episode onset is dated back to the start of the first markedly irregular RR interval of the window
 * that triggered it, its end to the end of the last markedly irregular interval of the window that ended it; live consumers get the onset event (offset -1) when the decision is made, so the
 * detection delay is the decision beat minus the true onset. Beats in noisy stretches (the
 * {@link java.util.function.LongPredicate} given) restart the window.
 *
 * <p>Allocation-free per beat apart from the emitted events. Not thread-safe: one thread.
 */
public final class AfDetector {
    /**
     * @param windowBeats  RR intervals per decision window (8-64)
     * @param onThreshold  irregularity above which AF starts
     * @param offThreshold irregularity below which AF ends
     */
    public record Config(int windowBeats, double onThreshold, double offThreshold) {
        /** 12 beats, on above 0.095, off below 0.06; chosen on MIT-BIH AF records, see the model card. */
        public static final Config DEFAULTS = new Config(12, 0.095, 0.06);

        public Config {
            if (windowBeats < 8 || windowBeats > 64) {
                throw new IllegalArgumentException("af.windowBeats must be between 8 and 64, got " + windowBeats);
            }
            if (!(offThreshold > 0) || !(onThreshold >= offThreshold) || onThreshold > 1) {
                throw new IllegalArgumentException("af thresholds must satisfy 0 < off <= on <= 1, got on "
                        + onThreshold + ", off " + offThreshold);
            }
        }
    }

    private final String streamId;
    private final double fs;
    private final Config config;
    private final RhythmMonitorTime time;
    private final Consumer<CardiacEvent> sink;
    private final double[] rr;
    private final long[] beatSample;
    private final boolean[] usable;
    private final double[] scratch;
    private final double[] diffs;
    private int count;
    private int pos;
    private long lastSample = -1;
    private boolean lastEctopic;
    private long onset = -1;
    private double lastIrregularity = Double.NaN;
    private long firstIrregular;
    private long lastClosedEnd = -1;
    private long lastIrregular;

    /** Maps a sample number to monotonic nanoseconds. */
    @FunctionalInterface
    public interface RhythmMonitorTime {
        long timestampOf(long sample);
    }

    public AfDetector(String streamId, double sampleRateHz, Config config, RhythmMonitorTime time,
                      Consumer<CardiacEvent> sink) {
        this.streamId = Objects.requireNonNull(streamId);
        this.fs = sampleRateHz;
        this.config = Objects.requireNonNull(config);
        this.time = Objects.requireNonNull(time);
        this.sink = Objects.requireNonNull(sink);
        int w = config.windowBeats();
        rr = new double[w];
        beatSample = new long[w];
        usable = new boolean[w];
        scratch = new double[w];
        diffs = new double[w];
    }

    /**
     * One beat.
     *
     * @param sample  R-peak sample
     * @param ectopic the beat is a ventricular ectopic (its RR intervals are left out)
     * @param noisy   the beat lies in a noisy stretch: the window restarts
     */
    public void onBeat(long sample, boolean ectopic, boolean noisy) {
        if (noisy) {
            if (onset >= 0) {
                close(Math.max(lastSample, onset), "signal too noisy");
            }
            count = 0;
            lastSample = -1;
            return;
        }
        if (lastSample >= 0) {
            rr[pos] = (sample - lastSample) / fs;
            beatSample[pos] = sample;
            usable[pos] = !ectopic && !lastEctopic;
            pos = (pos + 1) % rr.length;
            count = Math.min(count + 1, rr.length);
        }
        lastSample = sample;
        lastEctopic = ectopic;
        if (count < rr.length) {
            return;
        }
        double irr = irregularity();
        lastIrregularity = irr;
        if (Double.isNaN(irr)) {
            return;
        }
        if (onset < 0 && irr > config.onThreshold()) {
            onset = Math.max(firstIrregular, lastClosedEnd + 1);
            sink.accept(new CardiacEvent(streamId, EventType.AF, onset, -1, time.timestampOf(onset),
                    String.format(java.util.Locale.ROOT, "RR irregularity %.3f over %d beats", irr, rr.length)));
        } else if (onset >= 0 && irr < config.offThreshold()) {
            close(Math.max(lastIrregular, onset), "RR regular again");
        }
    }

    /** Irregularity of the last window (NaN before the first full window or with too few usable intervals). */
    public double lastIrregularity() {
        return lastIrregularity;
    }

    /** True while an AF episode is open. */
    public boolean inAf() {
        return onset >= 0;
    }

    /** End of input: closes an open episode at {@code lastSample}. */
    public void finish(long lastSampleOfRecord) {
        if (onset >= 0) {
            close(lastSampleOfRecord, "until end of signal");
        }
    }

    private void close(long end, String why) {
        sink.accept(new CardiacEvent(streamId, EventType.AF, onset, end, time.timestampOf(onset), why));
        lastClosedEnd = end;
        onset = -1;
    }

    /** Sample of the R peak that starts the oldest RR interval of the window. */
    private long windowStart() {
        int oldest = pos;
        return beatSample[oldest] - Math.round(rr[oldest] * fs);
    }

    /**
     * Finds, in the current window, the start of the first RR interval and the end of the last one whose successive
     * difference exceeds the on-threshold (relative to {@code medRr}); window start and end if there is none.
     */
    private void locateIrregular(double medRr) {
        firstIrregular = -1;
        lastIrregular = windowStart();
        for (int i = 1; i < rr.length; i++) {
            int k = (pos + i) % rr.length;
            int prev = (pos + i - 1) % rr.length;
            if (usable[k] && usable[prev] && Math.abs(rr[k] - rr[prev]) / medRr > config.onThreshold()) {
                if (firstIrregular < 0) {
                    firstIrregular = beatSample[prev] - Math.round(rr[prev] * fs);
                }
                lastIrregular = beatSample[k];
            }
        }
        if (firstIrregular < 0) {
            firstIrregular = windowStart();
        }
    }

    private double irregularity() {
        int n = 0;
        int d = 0;
        for (int i = 0; i < rr.length; i++) {
            int k = (pos + i) % rr.length;
            if (usable[k]) {
                scratch[n++] = rr[k];
            }
            if (i > 0) {
                int prev = (pos + i - 1) % rr.length;
                if (usable[k] && usable[prev]) {
                    diffs[d++] = Math.abs(rr[k] - rr[prev]);
                }
            }
        }
        if (n < rr.length / 2 || d < rr.length / 2) {
            return Double.NaN;
        }
        Arrays.sort(scratch, 0, n);
        Arrays.sort(diffs, 0, d);
        double medRr = scratch[n / 2];
        double medDiff = (d & 1) == 1 ? diffs[d / 2] : 0.5 * (diffs[d / 2 - 1] + diffs[d / 2]);
        locateIrregular(medRr);
        return medDiff / medRr;
    }
}
