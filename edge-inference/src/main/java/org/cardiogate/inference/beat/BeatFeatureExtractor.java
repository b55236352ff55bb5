package org.cardiogate.inference.beat;

import org.cardiogate.dsp.OrderStatistics;
import static org.cardiogate.inference.beat.BeatFeatures.CHANNELS;
import static org.cardiogate.inference.beat.BeatFeatures.IRREGULARITY_RR_BEATS;
import static org.cardiogate.inference.beat.BeatFeatures.LOCAL_RR_BEATS;
import static org.cardiogate.inference.beat.BeatFeatures.LONG_RR_BEATS;
import static org.cardiogate.inference.beat.BeatFeatures.POST;
import static org.cardiogate.inference.beat.BeatFeatures.PRE;
import static org.cardiogate.inference.beat.BeatFeatures.RECENT_RR_BEATS;
import static org.cardiogate.inference.beat.BeatFeatures.RR_FEATURES;
import static org.cardiogate.inference.beat.BeatFeatures.TEMPLATE_BEATS;
import static org.cardiogate.inference.beat.BeatFeatures.WINDOW;
import static org.cardiogate.inference.beat.BeatFeatures.WINDOW_RATE_HZ;

import java.util.Objects;

import org.cardiogate.dsp.filter.BiquadCascade;
import org.cardiogate.dsp.filter.EcgFilters;

/**
 * Streaming feature extractor of the beat classifier for one ECG lead at any rate from 125 Hz: filters the lead
 * (0.5 Hz high-pass, 40 Hz low-pass), keeps the last {@value #HISTORY_SECONDS} s, and for every beat reported by
 * the QRS detector builds the {@link BeatFeatures} input: the window from 0.25 s before to 0.40 s after R resampled
 * to 180 Hz, baseline (window median) removed and divided by the median peak-to-peak amplitude of the last 32
 * beats; the per-sample median of the previous 16 beats as the second channel; and the RR features.
 *
 * <p>Latency: a beat's features are complete when the next beat is reported (its next RR interval) and the signal
 * up to 0.40 s after R has arrived; without a next beat for {@value #NEXT_BEAT_TIMEOUT_SECONDS} s the beat is
 * emitted with that timeout as its next RR. The training export runs this same class, so training and live
 * features are identical.
 *
 * <p>Allocation-free after construction. Not thread-safe: fed by one thread (the DSP thread); the sink is called on
 * it and must copy what it keeps.
 */
public final class BeatFeatureExtractor {
    /** Filtered signal kept, in seconds. */
    public static final double HISTORY_SECONDS = 8.0;
    /** Longest wait for the next beat, in seconds. */
    public static final double NEXT_BEAT_TIMEOUT_SECONDS = 3.0;
    private static final int AMPLITUDE_BEATS = 32;
    private static final double MIN_SCALE = 0.05;
    private static final int MAX_PENDING = 64;

    /** Receives the features of one beat; the arrays are reused after the call returns. */
    @FunctionalInterface
    public interface Sink {
        /**
         * @param rSample R-peak sequence number
         * @param window  {@code CHANNELS * WINDOW} values, channel-major
         * @param rr      {@code RR_FEATURES} values
         */
        void onBeatFeatures(long rSample, float[] window, float[] rr);
    }

    private final double fs;
    private final Sink sink;
    private final BiquadCascade highPass;
    private final BiquadCascade lowPass;
    private final double[] ring;
    private final int mask;
    private final int postSamples;
    private final long timeoutSamples;
    private long nextSequence = Long.MIN_VALUE;

    private final long[] pending = new long[MAX_PENDING];
    private int pendingHead;
    private int pendingCount;
    private long lastEmittedR = -1;
    private long droppedBeats;

    private final double[] rrLocal = new double[LOCAL_RR_BEATS];
    private int rrLocalCount;
    private int rrLocalPos;
    private final double[] rrLong = new double[LONG_RR_BEATS];
    private int rrLongCount;
    private int rrLongPos;
    private double rrLongSum;
    /** Ring of the last {@code IRREGULARITY_RR_BEATS + 1} intervals, prevRR (the newest) included, in seconds. */
    private final double[] rrRecent = new double[IRREGULARITY_RR_BEATS + 1];
    private int rrRecentCount;
    private int rrRecentPos;
    private final double[] rrScratch = new double[IRREGULARITY_RR_BEATS + 1];

    private final double[] ptp = new double[AMPLITUDE_BEATS];
    private int ptpCount;
    private int ptpPos;
    private final double[][] history = new double[TEMPLATE_BEATS][WINDOW];
    /**
     * For each window point, the values of {@link #history} at that point kept sorted (the first historyCount
     * entries), so the template's per-point median costs one insertion per beat instead of a sort.
     */
    private final double[][] sortedHistory = new double[WINDOW][TEMPLATE_BEATS];
    private int historyCount;
    private int historyPos;

    private final double[] win = new double[WINDOW];
    private final double[] scratch = new double[Math.max(WINDOW, AMPLITUDE_BEATS)];
    private final float[] outWindow = new float[CHANNELS * WINDOW];
    private final float[] outRr = new float[RR_FEATURES];

    /**
     * @param sampleRateHz input rate of the lead, at least 125 Hz
     * @param sink         receives each beat's features, on the feeding thread
     */
    public BeatFeatureExtractor(double sampleRateHz, Sink sink) {
        if (!(sampleRateHz >= 125) || Double.isInfinite(sampleRateHz)) {
            throw new IllegalArgumentException("beat features need an ECG rate of at least 125 Hz, got " + sampleRateHz);
        }
        this.fs = sampleRateHz;
        this.sink = Objects.requireNonNull(sink, "sink");
        this.highPass = EcgFilters.baselineHighPass(fs);
        this.lowPass = EcgFilters.diagnosticLowPass(fs);
        int size = Integer.highestOneBit((int) Math.ceil(HISTORY_SECONDS * fs)) * 2;
        this.ring = new double[size];
        this.mask = size - 1;
        this.postSamples = (int) Math.ceil((POST - 1) * fs / WINDOW_RATE_HZ) + 2;
        this.timeoutSamples = Math.round(NEXT_BEAT_TIMEOUT_SECONDS * fs);
    }

    /**
     * Feeds consecutive samples of the lead (mV), starting at sequence number {@code firstSequence}. A sequence that
     * does not follow the previous call's is a discontinuity: beats waiting are dropped and the history restarts.
     */
    public void process(long firstSequence, double[] x, int offset, int length) {
        if (firstSequence != nextSequence) {
            restart(firstSequence);
        }
        for (int i = 0; i < length; i++) {
            double v = lowPass.process(highPass.process(x[offset + i]));
            ring[(int) (nextSequence & mask)] = v;
            nextSequence++;
        }
        drain();
    }

    /** A beat from the detector, R peaks in increasing order. */
    public void onBeat(long rSample) {
        if (pendingCount == MAX_PENDING) {
            pendingHead = (pendingHead + 1) % MAX_PENDING;
            pendingCount--;
            droppedBeats++;
        }
        pending[(pendingHead + pendingCount) % MAX_PENDING] = rSample;
        pendingCount++;
        drain();
    }

    /** Beats dropped because they could not be completed (overflow of the waiting list or a discontinuity). */
    public long droppedBeats() {
        return droppedBeats;
    }

    private void restart(long firstSequence) {
        droppedBeats += pendingCount;
        pendingCount = 0;
        pendingHead = 0;
        lastEmittedR = -1;
        rrLocalCount = 0;
        rrLocalPos = 0;
        rrLongCount = 0;
        rrLongPos = 0;
        rrLongSum = 0;
        rrRecentCount = 0;
        rrRecentPos = 0;
        ptpCount = 0;
        ptpPos = 0;
        historyCount = 0;
        historyPos = 0;
        highPass.reset();
        lowPass.reset();
        nextSequence = firstSequence;
    }

    private void drain() {
        while (pendingCount > 0) {
            long r = pending[pendingHead];
            long latest = nextSequence - 1;
            if (r - PRE * fs / WINDOW_RATE_HZ - 1 < nextSequence - ring.length) {
                // its window start has already left the history
                dropHead();
                droppedBeats++;
                continue;
            }
            if (latest < r + postSamples) {
                return;
            }
            double nextRr;
            if (pendingCount > 1) {
                nextRr = (pending[(pendingHead + 1) % MAX_PENDING] - r) / fs;
            } else if (latest - r >= timeoutSamples) {
                nextRr = NEXT_BEAT_TIMEOUT_SECONDS;
            } else {
                return;
            }
            emit(r, nextRr);
            dropHead();
        }
    }

    private void dropHead() {
        pendingHead = (pendingHead + 1) % MAX_PENDING;
        pendingCount--;
    }

    private void emit(long r, double nextRr) {
        double prevRr = lastEmittedR >= 0 ? (r - lastEmittedR) / fs : Double.NaN;
        lastEmittedR = r;
        if (!Double.isNaN(prevRr)) {
            rrLocal[rrLocalPos] = prevRr;
            rrLocalPos = (rrLocalPos + 1) % LOCAL_RR_BEATS;
            rrLocalCount = Math.min(rrLocalCount + 1, LOCAL_RR_BEATS);
            if (rrLongCount == LONG_RR_BEATS) {
                rrLongSum -= rrLong[rrLongPos];
            }
            rrLong[rrLongPos] = prevRr;
            rrLongSum += prevRr;
            rrLongPos = (rrLongPos + 1) % LONG_RR_BEATS;
            rrLongCount = Math.min(rrLongCount + 1, LONG_RR_BEATS);
            rrRecent[rrRecentPos] = prevRr;
            rrRecentPos = (rrRecentPos + 1) % rrRecent.length;
            rrRecentCount = Math.min(rrRecentCount + 1, rrRecent.length);
        } else {
            prevRr = nextRr;
        }
        double local = prevRr;
        if (rrLocalCount > 0) {
            double s = 0;
            for (int i = 0; i < rrLocalCount; i++) {
                s += rrLocal[i];
            }
            local = s / rrLocalCount;
        }
        double longAvg = rrLongCount > 0 ? rrLongSum / rrLongCount : local;
        outRr[0] = (float) (prevRr / local);
        outRr[1] = (float) (nextRr / local);
        outRr[2] = (float) (prevRr / longAvg);
        outRr[3] = (float) (nextRr / longAvg);
        outRr[4] = (float) (local / longAvg);
        outRr[5] = (float) prevRr;
        outRr[6] = (float) (nextRr / prevRr);
        rhythmFeatures(prevRr, nextRr);

        double step = fs / WINDOW_RATE_HZ;
        for (int k = 0; k < WINDOW; k++) {
            double t = r + (k - PRE) * step;
            long i0 = (long) Math.floor(t);
            double frac = t - i0;
            double a = ring[(int) (i0 & mask)];
            double b = ring[(int) ((i0 + 1) & mask)];
            win[k] = a + (b - a) * frac;
        }
        System.arraycopy(win, 0, scratch, 0, WINDOW);
        double baseline = OrderStatistics.select(scratch, WINDOW, WINDOW / 2);
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < WINDOW; k++) {
            double v = win[k] - baseline;
            win[k] = v;
            lo = Math.min(lo, v);
            hi = Math.max(hi, v);
        }
        ptp[ptpPos] = hi - lo;
        ptpPos = (ptpPos + 1) % AMPLITUDE_BEATS;
        ptpCount = Math.min(ptpCount + 1, AMPLITUDE_BEATS);
        System.arraycopy(ptp, 0, scratch, 0, ptpCount);
        double scale = Math.max(MIN_SCALE, OrderStatistics.select(scratch, ptpCount, ptpCount / 2));

        for (int k = 0; k < WINDOW; k++) {
            outWindow[k] = (float) (win[k] / scale);
            double tpl;
            if (historyCount == 0) {
                tpl = win[k];
            } else {
                double[] sorted = sortedHistory[k];
                tpl = (historyCount & 1) == 1 ? sorted[historyCount / 2]
                        : 0.5 * (sorted[historyCount / 2 - 1] + sorted[historyCount / 2]);
            }
            outWindow[WINDOW + k] = (float) (tpl / scale);
        }
        for (int k = 0; k < WINDOW; k++) {
            double[] sorted = sortedHistory[k];
            int n = historyCount;
            if (n == TEMPLATE_BEATS) {
                // the oldest beat's value leaves the sorted set
                double old = history[historyPos][k];
                int at = 0;
                while (at < n - 1 && sorted[at] != old) {
                    at++;
                }
                System.arraycopy(sorted, at + 1, sorted, at, n - 1 - at);
                n--;
            }
            double v = win[k];
            int j = n - 1;
            while (j >= 0 && sorted[j] > v) {
                sorted[j + 1] = sorted[j];
                j--;
            }
            sorted[j + 1] = v;
        }
        System.arraycopy(win, 0, history[historyPos], 0, WINDOW);
        historyPos = (historyPos + 1) % TEMPLATE_BEATS;
        historyCount = Math.min(historyCount + 1, TEMPLATE_BEATS);
        sink.onBeatFeatures(r, outWindow, outRr);
    }

    /**
     * The prematurity and irregularity features (rr[7..11]) against the patient's recent rhythm, the beat's own
     * interval excluded: the median of the {@code RECENT_RR_BEATS} intervals before prevRR is the rhythm the beat is
     * compared with (robust to isolated ectopic beats, unlike the mean); the median absolute successive difference
     * of the {@code IRREGULARITY_RR_BEATS} intervals before prevRR, over their median, says whether that rhythm is
     * regular at all (high in atrial fibrillation, where a short interval is no sign of an ectopic beat).
     */
    private void rhythmFeatures(double prevRr, double nextRr) {
        // the intervals before prevRR: the ring entries older than the newest (prevRR itself)
        int past = Math.max(0, rrRecentCount - 1);
        int newest = (rrRecentPos - 1 + rrRecent.length) % rrRecent.length;
        double before = prevRr;
        if (past > 0) {
            before = rrRecent[(newest - 1 + rrRecent.length) % rrRecent.length];
        }
        int m = Math.min(past, RECENT_RR_BEATS);
        double median = prevRr;
        if (m > 0) {
            for (int i = 0; i < m; i++) {
                rrScratch[i] = rrRecent[(newest - 1 - i + 2 * rrRecent.length) % rrRecent.length];
            }
            median = OrderStatistics.median(rrScratch, m);
        }
        int q = Math.min(past, IRREGULARITY_RR_BEATS);
        double irregularity = 0;
        if (q >= 2) {
            for (int i = 0; i < q; i++) {
                rrScratch[i] = rrRecent[(newest - q + i + 2 * rrRecent.length) % rrRecent.length];
            }
            double level = OrderStatistics.median(rrScratch, q);
            // rrScratch is sorted now: refill in time order for the successive differences
            for (int i = 0; i < q; i++) {
                rrScratch[i] = rrRecent[(newest - q + i + 2 * rrRecent.length) % rrRecent.length];
            }
            for (int i = 0; i < q - 1; i++) {
                rrScratch[i] = Math.abs(rrScratch[i + 1] - rrScratch[i]);
            }
            irregularity = OrderStatistics.median(rrScratch, q - 1) / level;
        }
        outRr[7] = (float) (prevRr / median);
        outRr[8] = (float) (nextRr / median);
        outRr[9] = (float) (prevRr - median);
        outRr[10] = (float) irregularity;
        outRr[11] = (float) (prevRr / before);
    }

    /** Emits the beats still waiting for a next beat, with the timeout as next RR (end of an offline record). */
    public void finish() {
        long latest = nextSequence - 1;
        while (pendingCount > 0) {
            long r = pending[pendingHead];
            if (latest < r + postSamples || r - PRE * fs / WINDOW_RATE_HZ - 1 < nextSequence - ring.length) {
                dropHead();
                droppedBeats++;
                continue;
            }
            double nextRr = pendingCount > 1 ? (pending[(pendingHead + 1) % MAX_PENDING] - r) / fs
                    : NEXT_BEAT_TIMEOUT_SECONDS;
            emit(r, nextRr);
            dropHead();
        }
    }
}
