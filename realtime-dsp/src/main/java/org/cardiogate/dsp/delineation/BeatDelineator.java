package org.cardiogate.dsp.delineation;

import org.cardiogate.dsp.OrderStatistics;
import java.util.Objects;
import org.cardiogate.dsp.filter.BiquadCascade;
import org.cardiogate.dsp.filter.EcgFilters;

/**
 * Streaming beat delineation for one ECG lead: for each R peak it is given, finds the QRS onset and offset, the P wave
 * (onset, peak, offset, or none) and the T wave (peak and offset, either polarity), after the wavelet method of
 * Martinez et al., "A wavelet-based ECG delineator: evaluation on standard databases", IEEE TBME 51(4), 2004.
 *
 * <p>Signal path: the raw lead is low-passed (second-order Butterworth at 40 Hz, no high-pass: the wavelet is a
 * derivative and ignores a slow baseline, while a causal high-pass would shift the slow P and T waves), then
 * resampled by linear interpolation to {@value #ANALYSIS_RATE_HZ} Hz, the rate the method was designed at, and kept in
 * a ring of 16 s (so an R given up to about 15 s late, e.g. by the detector's search-back, is still delineated). All windows and thresholds below are in seconds or relative to the beat's own
 * wavelet maxima, so the result does not depend on the input rate (125 Hz to 2 kHz). Boundaries are mapped back to
 * the input's sample numbers with the low-pass group delay removed.
 *
 * <ul>
 * <li>QRS (scale 2^2): the significant slopes around R (above 4 % of the largest before R, where Martinez uses 6 %,
 * 9 % after, and above three times the median |w2| of the 1.45 s window, a noise floor that adapts to each beat):
 * the largest one within 80 ms
 * of R and the largest on each side of R (the two slopes of the wave R is the peak of, however wide), then each
 * further one within 50 ms of the next before R and 80 ms after it, except that a slope before R of the same sign
 * as the next one, with |w2| quiet (below half the threshold for 12 ms) between them, is a separate deflection (the
 * end of a P wave) and ends the QRS there; the onset is where the first slope falls below 5 % (rising) or 7 %
 * (falling) of its maximum or below twice the mean |w2| of the 100 ms ending 50 ms before it (the PR segment's noise
 * and P-wave slope), whichever is higher, or at a local minimum, moved 4 ms earlier for the lag of that crossing; the
 * offset where the last falls below 12.5 % (rising) or 71 %
 * (falling).</li>
 * <li>T (scale 2^4): window from R + 100 ms, and at least 60 ms after the QRS offset, to R + min(0.5 sqrt(RR),
 * RR - 0.2 s, 0.7 s) (at least 0.25 s) with RR the interval before the beat, cut short before a premature next QRS; the largest slope and the largest opposite slope next to it
 * (above a quarter of the window's RMS) bound the T peak, the zero crossing between them; the offset is where the
 * last slope falls below 40 % of its maximum.</li>
 * <li>P (scale 2^4): window from 260 ms before the QRS onset (not before the previous T offset) to 20 ms before it;
 * a pair of opposite slopes of at least 4 % of the QRS slope at that scale; onset at 50 % of the
 * first slope, offset at 90 % of the last.</li>
 * <li>P template: a P wave of a few tens of microvolts is often lost in the noise of one beat, or a noise bump is
 * taken for it, while the PR interval of a steady rhythm hardly changes from beat to beat. So, as the median-beat
 * programs do, the delineator also keeps the mean of the last 24 beats of the same rhythm and
 * morphology (QRS correlating at least 0.9 with the template's after aligning within
 * 8 ms, RR from 70 % to 150 % of the template's mean, so that premature beats stay out), where the noise is some
 * five times lower, and finds the P wave on it by the same rules (the largest slope above half the per-beat floor,
 * its partner above a quarter of it). For a matching beat, once the template holds 4 beats: if
 * the template shows no P wave, the beat reports none; otherwise, if the beat's P stretch correlates at least
 * 0.6 (at scale 2^4) with the template's at some lag within 20 ms, the beat keeps its own P
 * when its onset lies within 20 ms of the template's so shifted, and takes the shifted template's P otherwise.
 * Beats that do not match (ectopic, premature, a new rhythm), or whose P stretch does not correlate (a changing PR),
 * keep their own P. After 6 beats in a row that do not match, the template starts afresh. The
 * template is built from beats already delineated, so it adds no latency.</li>
 * </ul>
 *
 * <p>Latency: beat k is delineated as soon as both its R has been given and the signal up to R + its T window + the
 * wavelet's support (0.13 s) has arrived, that is at most {@link #maxLatencySeconds()} (0.83 s) after the R peak, or
 * at once when the R is given later than that (search-back beats). Because only the samples up to that point are used,
 * the result does not depend on how samples and beats are interleaved or on the block size.
 *
 * <p>Feeding: give every sample of the lead to {@link #process(double)} and every R peak, in the same sample counter,
 * to {@link #onBeat(long)}, in any interleaving (for example {@code EcgProcessor} beats from its listener and the block's
 * samples after it). R peaks must come in increasing order. After a gap call {@link #reset(long)}.
 *
 * <p>Allocation-free after construction. Not thread-safe: one instance per lead, fed by one thread.
 */
public final class BeatDelineator {
    /** Rate of the internal analysis signal, in Hz (Martinez's thresholds and scales are defined at 250 Hz). */
    public static final double ANALYSIS_RATE_HZ = 250;
    private static final double RING_SECONDS = 16;

    private static final double LOW_PASS_HZ = 40;
    private static final double PRE_SECONDS = 0.62;
    private static final double T_END_MAX_SECONDS = 0.70;
    private static final double MARGIN_SECONDS = 0.13;

    private static final double QRS_MAIN_SECONDS = 0.08;
    private static final double QRS_SEARCH_SECONDS = 0.15;
    /** Largest gap between successive slopes of one QRS before R (a P wave is further) and after R (wide S waves). */
    private static final double QRS_CHAIN_SECONDS = 0.05;
    private static final double QRS_CHAIN_POST_SECONDS = 0.08;
    private static final double QRS_BOUND_SECONDS = 0.10;
    /**
     * A slope before the QRS's first one and of the same sign is not chained when |w2| stays below this share of the
     * significance threshold for {@link #QRS_QUIET_SECONDS} between them: an isoelectric stretch separates two
     * deflections (the end of a P wave and the Q wave), while the slopes of one slurred wave run into each other and
     * those of opposite sign meet at a wave's peak, where |w2| crosses zero only briefly.
     */
    private static final double QRS_QUIET_FRACTION = 0.5;
    private static final double QRS_QUIET_SECONDS = 0.012;
    /**
     * Significance of the QRS's slopes before R relative to its largest, {@code m}. Martinez et al. use 6 %; 4 % was
     * chosen on the tuning half of QTDB (records at even positions, see {@code QtdbDelineationReport}): small initial
     * q or r slopes of a few percent of m still start the QRS, while the noise floor below keeps noise out.
     */
    private static final double GAMMA_PRE = 0.04;
    private static final double GAMMA_POST = 0.09;
    /**
     * Slopes of the QRS must also exceed this many times the median |w2| of the analysis window (about twice the SD of
     * Gaussian noise: the median of |x| is 0.67 SD), so that noise and P or T slopes are not chained into the QRS.
     */
    private static final double NOISE_K = 3;
    private static final double XI_QRS_ON_RISING = 0.05;
    private static final double XI_QRS_ON_FALLING = 0.07;
    /**
     * The QRS onset is also where |w2| falls below this many times the mean |w2| of the stretch before the QRS
     * ({@link #PR_NOISE_FROM_SECONDS} to {@link #PR_NOISE_TO_SECONDS} before its first slope: the end of the P wave
     * and the PR segment), if that is higher than the share of the first slope: the wave has left the baseline where
     * its slope rises out of the noise and slow P-wave slope around it, and walking back below that level only
     * follows the noise, which made the onset jitter from beat to beat in noisy leads. Chosen on the tuning half of
     * QTDB, as {@link #QRS_ONSET_LAG_SECONDS}.
     */
    private static final double PR_NOISE_K = 2;
    private static final double PR_NOISE_FROM_SECONDS = 0.15;
    private static final double PR_NOISE_TO_SECONDS = 0.05;
    /**
     * The onset is reported this much (one sample of the analysis rate) before the crossing: |w2| has already been
     * rising for about a sample when it crosses a threshold above the noise, so the crossing lags the departure from
     * baseline. Chosen on the tuning half of QTDB (the lag that gave the lowest SD there).
     */
    private static final double QRS_ONSET_LAG_SECONDS = 0.004;
    private static final double XI_QRS_END_RISING = 0.125;
    private static final double XI_QRS_END_FALLING = 0.71;

    /** T window end: QT of at most 0.5 sqrt(RR) (Bazett QTc 500 ms) and at least 0.2 s before the next R. */
    private static final double T_SQRT = 0.5;
    private static final double T_BEFORE_NEXT = 0.2;
    private static final double T_START_SECONDS = 0.10;
    /** T search starts this long after the QRS offset: scale 2^4 smears the QRS's last slope over about 60 ms. */
    private static final double T_AFTER_QRS_SECONDS = 0.06;
    private static final double T_EPSILON_RMS = 0.25;
    private static final double T_PAIR_SECONDS = 0.25;
    private static final double T_BOUND_SECONDS = 0.20;
    private static final double XI_T_END = 0.4;
    private static final double NEXT_QRS_RATIO = 0.5;
    private static final double NEXT_QRS_CLEARANCE = 0.08;

    private static final double P_WINDOW_SECONDS = 0.26;
    private static final double P_GUARD_SECONDS = 0.02;
    private static final double P_MIN_RATIO = 0.04;
    private static final double P_PARTNER_RATIO = 0.25;
    private static final double P_PAIR_MIN_SECONDS = 0.02;
    private static final double P_PAIR_MAX_SECONDS = 0.15;
    private static final double P_BOUND_SECONDS = 0.10;
    private static final double XI_P_ON = 0.5;
    private static final double XI_P_END = 0.9;

    /**
     * P-wave template (see the class comment): the mean of the last {@value #TPL_BEATS} beats whose QRS matches and whose
     * RR is not premature, each aligned on its QRS, from {@link #PRE_SECONDS} before R to {@link #TPL_POST_SECONDS}
     * after it; used from {@value #TPL_MIN_BEATS} beats on. The values below were chosen on the tuning half of QTDB
     * (records at even positions, see {@code QtdbDelineationReport}); there, templates of 8 to 32 beats gave P onset
     * SDs within 0.25 ms of each other (24 the lowest).
     */
    private static final int TPL_BEATS = 24;
    private static final int TPL_MIN_BEATS = 4;
    private static final double TPL_POST_SECONDS = 0.12;
    /** Half-width of the QRS stretch (about R) whose correlation with the template's decides that a beat matches. */
    private static final double TPL_QRS_SECONDS = 0.06;
    private static final double TPL_QRS_CORRELATION = 0.9;
    /** A beat is aligned on the template by the QRS lag of best correlation within this much either way. */
    private static final double TPL_ALIGN_SECONDS = 0.008;
    /**
     * A matching beat's RR lies between 70 % (shorter: premature, its P wave differs or is hidden) and 150 % (longer:
     * a pause, possibly ended by an escape beat without P) of the template's mean RR, so that gradual changes of the
     * sinus rate keep the template.
     */
    private static final double TPL_RR_SHORT = 0.3;
    private static final double TPL_RR_LONG = 0.5;
    /** After this many beats in a row that do not match, the rhythm has changed: a new template starts. */
    private static final int TPL_RESEED = 6;
    /**
     * On the template, which has little noise, the P wave's largest slope must exceed half the per-beat floor
     * ({@link #P_MIN_RATIO} of the QRS slope) and its opposite slope only a quarter of the largest.
     */
    private static final double TPL_P_MIN_SHARE = 0.5;
    /** The beat's P stretch must correlate (scale 2^4) this well with the template's at some lag to count as the same P. */
    private static final double P_MATCH_CORRELATION = 0.6;
    private static final double P_MATCH_LAG_SECONDS = 0.02;
    private static final double P_MATCH_MARGIN_SECONDS = 0.02;
    /** The beat's own P onset is kept when it lies within this much of where the template puts it. */
    private static final double P_MATCH_GATE_SECONDS = 0.02;

    private static final int QUEUE = 64;
    private static final long NONE = BeatDelineation.NONE;

    private final double sampleRateHz;
    private final double ratio;
    private final DelineationListener listener;
    private final BiquadCascade lowPass;
    private final double delayInput;
    private final DyadicWavelet wavelet = new DyadicWavelet();

    private final double[] ring;
    private final int mask;
    private final double[] work;
    private final double[] w2;
    private final double[] w4;
    private final double[] scratch;
    private final int pre;
    private final int post;
    private final int quietRun = analysis(QRS_QUIET_SECONDS);

    private final long[] queueR = new long[QUEUE];
    private final double[] queueRr = new double[QUEUE];
    private int queueHead;
    private int queueCount;

    private final BeatDelineation out = new BeatDelineation();

    private long origin;
    private boolean started;
    private long inputCount;
    private long analysisCount;
    private double previousFiltered;
    private long lastR = NONE;
    private double previousTOffset = Double.NaN;

    /** Results of {@link #findQrs} and {@link #findP}. */
    private double foundOn, foundOff, foundM, foundMedian, foundPOn, foundPPeak, foundPOff;
    private int foundPPolarity;

    /** Template of the recent matching beats: a ring of their aligned segments and their mean. */
    private final int tplLen;
    private final double[][] tplBeats;
    private final double[] tplRrs = new double[TPL_BEATS];
    private final double[] tplPreviousT = new double[TPL_BEATS];
    private final double[] tpl;
    private final double[] tplW2;
    private final double[] tplW4;
    private int tplNext;
    private int tplCount;
    private int tplRejected;
    private double tplMeanRr;
    private boolean tplHasP;
    private double tplPOn, tplPPeak, tplPOff;
    private int tplPPolarity;

    private long delineated;
    private long dropped;

    /**
     * @param sampleRateHz rate of the samples and of the R peak sample numbers, 100 Hz to 10 kHz
     * @param listener     receives each delineated beat
     */
    public BeatDelineator(double sampleRateHz, DelineationListener listener) {
        if (!(sampleRateHz >= 100 && sampleRateHz <= 10_000)) {
            throw new IllegalArgumentException("delineator sample rate must be between 100 Hz and 10 kHz, got "
                    + sampleRateHz + " Hz");
        }
        this.sampleRateHz = sampleRateHz;
        this.ratio = sampleRateHz / ANALYSIS_RATE_HZ;
        this.listener = Objects.requireNonNull(listener, "listener");
        this.lowPass = EcgFilters.lowPass(sampleRateHz, LOW_PASS_HZ, 2);
        this.delayInput = lowPass.groupDelaySamplesAt(5);
        int size = Integer.highestOneBit((int) (RING_SECONDS * ANALYSIS_RATE_HZ) - 1) << 1;
        this.ring = new double[size];
        this.mask = size - 1;
        this.pre = analysis(PRE_SECONDS);
        this.post = analysis(T_END_MAX_SECONDS + MARGIN_SECONDS) + 2;
        int len = pre + post + 1;
        this.work = new double[len];
        this.w2 = new double[len];
        this.w4 = new double[len];
        this.scratch = new double[len];
        this.tplLen = pre + analysis(TPL_POST_SECONDS) + 1;
        this.tplBeats = new double[TPL_BEATS][tplLen];
        this.tpl = new double[tplLen];
        this.tplW2 = new double[tplLen];
        this.tplW4 = new double[tplLen];
        reset(0);
    }

    private static int analysis(double seconds) {
        return (int) Math.round(seconds * ANALYSIS_RATE_HZ);
    }

    /**
     * Forgets the signal and the pending beats (after a gap or a restart of the source); the next sample given to
     * {@link #process(double)} has sequence number {@code firstSequence}.
     */
    public void reset(long firstSequence) {
        origin = firstSequence;
        started = false;
        inputCount = 0;
        analysisCount = 0;
        previousFiltered = 0;
        lastR = NONE;
        previousTOffset = Double.NaN;
        queueHead = 0;
        queueCount = 0;
        tplCount = 0;
        tplNext = 0;
        tplRejected = 0;
        tplHasP = false;
        lowPass.reset();
    }

    /** Adds the next sample of the lead (in the lead's unit, e.g. mV); may deliver beats to the listener. */
    public void process(double x) {
        if (!started) {
            lowPass.reset(x);
            started = true;
        }
        double y = lowPass.process(x);
        long i = inputCount++;
        double pos;
        while ((pos = analysisCount * ratio) <= i) {
            double v = i == 0 ? y : previousFiltered + (y - previousFiltered) * (pos - (i - 1));
            ring[(int) (analysisCount & mask)] = v;
            analysisCount++;
        }
        previousFiltered = y;
        drain(false);
    }

    /** Adds {@code len} samples of {@code x} from {@code offset}. */
    public void process(double[] x, int offset, int len) {
        for (int i = offset, end = offset + len; i < end; i++) {
            process(x[i]);
        }
    }

    /**
     * Gives the R peak of the next beat, as a sequence number of the samples given to {@link #process(double)} (the
     * number {@code EcgProcessor} reports). The beat is delineated once the signal after it has arrived.
     */
    public void onBeat(long rPeak) {
        if (lastR != NONE && rPeak <= lastR) {
            throw new IllegalArgumentException("R peak at sample " + rPeak + " does not follow the last one at " + lastR);
        }
        if (rPeak < origin) {
            throw new IllegalArgumentException("R peak at sample " + rPeak + " lies before the first sample " + origin
                    + " since the last reset");
        }
        double rr = lastR == NONE ? Double.NaN : (rPeak - lastR) / sampleRateHz;
        lastR = rPeak;
        if (queueCount == QUEUE) {
            queueHead = (queueHead + 1) % QUEUE;
            queueCount--;
            dropped++;
        }
        int slot = (queueHead + queueCount) % QUEUE;
        queueR[slot] = rPeak;
        queueRr[slot] = rr;
        queueCount++;
        drain(false);
    }

    /** Delineates the beats still waiting for signal, with what has arrived (end of an offline record). */
    public void finish() {
        drain(true);
    }

    private void drain(boolean force) {
        while (queueCount > 0) {
            long r = queueR[queueHead];
            double rr = queueRr[queueHead];
            double aR = toAnalysis(r);
            long needed = (long) Math.ceil(aR + tWindowSeconds(rr) * ANALYSIS_RATE_HZ) + analysis(MARGIN_SECONDS);
            if (!force && analysisCount <= needed) {
                return;
            }
            queueHead = (queueHead + 1) % QUEUE;
            queueCount--;
            long last = Math.min(analysisCount - 1, needed);
            if (aR < analysisCount - ring.length || analysisCount == 0) {
                dropped++;
            } else {
                delineate(r, rr, aR, last);
            }
        }
    }

    private double toAnalysis(long sequence) {
        return (sequence - origin + delayInput) / ratio;
    }

    private long toSequence(double analysisPosition) {
        return origin + Math.round(analysisPosition * ratio - delayInput);
    }

    /** Length of the T window after R, from the RR interval before the beat (1 s when unknown). */
    private static double tWindowSeconds(double rr) {
        double r = Double.isNaN(rr) || rr < 0.3 || rr > 2.5 ? 1.0 : rr;
        return Math.min(T_END_MAX_SECONDS, Math.max(0.25, Math.min(T_SQRT * Math.sqrt(r), r - T_BEFORE_NEXT)));
    }

    private void delineate(long rSequence, double rr, double aR, long lastUsable) {
        long r0 = Math.round(aR);
        long start = r0 - pre;
        long oldest = Math.max(0, analysisCount - ring.length);
        int len = (int) Math.min(work.length, lastUsable - start + 1);
        for (int k = 0; k < len; k++) {
            long a = Math.max(oldest, start + k);
            work[k] = ring[(int) (a & mask)];
        }
        wavelet.transform(work, len, 2, w2, 0, len);
        wavelet.transform(work, len, 4, w4, 0, len);
        int r = pre;
        out.clear(sampleRateHz, rSequence, rr);

        int mainLo = Math.max(1, r - analysis(QRS_MAIN_SECONDS));
        int mainHi = Math.min(len - 2, r + analysis(QRS_MAIN_SECONDS));
        double qrsOn = Double.NaN;
        double qrsOff = Double.NaN;
        if (findQrs(w2, len, r)) {
            qrsOn = foundOn;
            qrsOff = foundOff;
            out.qrsSnr = foundMedian > 0 ? foundM / foundMedian : Double.POSITIVE_INFINITY;
            out.qrsOnset = toSequence(start + qrsOn + DyadicWavelet.HALF - QRS_ONSET_LAG_SECONDS * ANALYSIS_RATE_HZ);
            out.qrsOffset = toSequence(start + qrsOff + DyadicWavelet.HALF);
        }
        double qrsScale4 = Math.abs(w4[argMaxAbs(w4, mainLo, mainHi)]);

        double tOff = Double.NaN;
        if (!Double.isNaN(qrsOff)) {
            int tLo = (int) Math.max(r + analysis(T_START_SECONDS), Math.ceil(qrsOff) + analysis(T_AFTER_QRS_SECONDS));
            int tHi = Math.min(len - 2, r + (int) Math.round(tWindowSeconds(rr) * ANALYSIS_RATE_HZ));
            int guardFrom = (int) Math.ceil(qrsOff) + analysis(0.12);
            for (int n = guardFrom; n <= tHi; n++) {
                if (Math.abs(w2[n]) > NEXT_QRS_RATIO * foundM) {
                    tHi = Math.min(tHi, n - analysis(NEXT_QRS_CLEARANCE));
                    break;
                }
            }
            tOff = delineateT(start, tLo, tHi, len);
        }

        double ownPOn = Double.NaN;
        if (!Double.isNaN(qrsOn)) {
            int pHi = (int) Math.floor(qrsOn) - analysis(P_GUARD_SECONDS);
            int pLo = (int) Math.ceil(qrsOn) - analysis(P_WINDOW_SECONDS);
            if (!Double.isNaN(previousTOffset)) {
                pLo = (int) Math.max(pLo, Math.ceil(previousTOffset - start) + analysis(0.02));
            }
            pLo = Math.max(1, pLo);
            if (findP(w4, pLo, pHi, P_MIN_RATIO * qrsScale4, P_MIN_RATIO * qrsScale4)) {
                setP(start, foundPOn, foundPPeak, foundPOff, foundPPolarity);
                ownPOn = foundPOn;
            }
        }
        matchTemplate(start, rr, len, r, qrsOn, ownPOn);
        previousTOffset = Double.isNaN(tOff) ? Double.NaN : start + tOff;
        delineated++;
        listener.onDelineation(out);
    }

    /**
     * Finds the QRS around the R at {@code r} in {@code w[0..len)} (scale 2^2); on success sets {@link #foundOn},
     * {@link #foundOff} (in the array's coordinates), {@link #foundM} and {@link #foundMedian}.
     */
    private boolean findQrs(double[] w2, int len, int r) {
        int mainLo = Math.max(1, r - analysis(QRS_MAIN_SECONDS));
        int mainHi = Math.min(len - 2, r + analysis(QRS_MAIN_SECONDS));
        int nm = argMaxAbs(w2, mainLo, mainHi);
        double m = Math.abs(w2[nm]);
        double medianSlope = medianAbs(w2, len);
        double noise = NOISE_K * medianSlope;
        if (!(m > 0)) {
            return false;
        }
        foundM = m;
        foundMedian = medianSlope;
        int searchLo = Math.max(1, r - analysis(QRS_SEARCH_SECONDS));
        int searchHi = Math.min(len - 2, r + analysis(QRS_SEARCH_SECONDS));
        int chain = analysis(QRS_CHAIN_SECONDS);
        // the wave whose peak is R has a slope on either side of it: both belong to the QRS, however wide
        int nf = nm;
        int nl = nm;
        int before = argMaxAbs(w2, mainLo, r);
        if (before < nf && isLocalMax(w2, before) && Math.abs(w2[before]) >= Math.max(noise, GAMMA_PRE * m)) {
            nf = before;
        }
        int after = argMaxAbs(w2, r, mainHi);
        if (after > nl && isLocalMax(w2, after) && Math.abs(w2[after]) >= Math.max(noise, GAMMA_POST * m)) {
            nl = after;
        }
        for (int n = nf - 1; n >= searchLo && n >= nf - chain; n--) {
            double floor = Math.max(noise, (n < r ? GAMMA_PRE : GAMMA_POST) * m);
            if (isLocalMax(w2, n) && Math.abs(w2[n]) >= floor) {
                if (Math.signum(w2[n]) == Math.signum(w2[nf]) && quietBetween(w2, n, nf, QRS_QUIET_FRACTION * floor)) {
                    break; // two separate deflections the same way with a quiet stretch between: not one QRS
                }
                nf = n;
            }
        }
        int chainPost = analysis(QRS_CHAIN_POST_SECONDS);
        for (int n = nl + 1; n <= searchHi && n <= nl + chainPost; n++) {
            if (isLocalMax(w2, n) && Math.abs(w2[n]) >= Math.max(noise, (n < r ? GAMMA_PRE : GAMMA_POST) * m)) {
                nl = n;
            }
        }
        double xiOn = (w2[nf] > 0 ? XI_QRS_ON_RISING : XI_QRS_ON_FALLING) * Math.abs(w2[nf]);
        int prLo = Math.max(0, nf - analysis(PR_NOISE_FROM_SECONDS));
        int prHi = Math.max(prLo + 1, nf - analysis(PR_NOISE_TO_SECONDS));
        double prSum = 0;
        for (int n = prLo; n < prHi; n++) {
            prSum += Math.abs(w2[n]);
        }
        // never above half the first slope, so that the walk back from it always starts above the threshold
        xiOn = Math.min(0.5 * Math.abs(w2[nf]), Math.max(xiOn, PR_NOISE_K * prSum / (prHi - prLo)));
        foundOn = boundLeft(w2, nf, xiOn, Math.max(1, nf - analysis(QRS_BOUND_SECONDS)));
        double xiEnd = (w2[nl] > 0 ? XI_QRS_END_RISING : XI_QRS_END_FALLING) * Math.abs(w2[nl]);
        foundOff = boundRight(w2, nl, xiEnd, Math.min(len - 2, nl + analysis(QRS_BOUND_SECONDS)));
        return true;
    }

    /** Finds the T wave in w4[lo..hi]; fills the T fields and returns the offset in work coordinates, or NaN. */
    private double delineateT(long start, int lo, int hi, int len) {
        if (hi - lo < analysis(0.06)) {
            return Double.NaN;
        }
        double sum = 0;
        for (int n = lo; n <= hi; n++) {
            sum += w4[n] * w4[n];
        }
        double epsilon = T_EPSILON_RMS * Math.sqrt(sum / (hi - lo + 1));
        int m1 = -1;
        for (int n = lo + 1; n < hi; n++) {
            if (isLocalMax(w4, n) && Math.abs(w4[n]) > epsilon && (m1 < 0 || Math.abs(w4[n]) > Math.abs(w4[m1]))) {
                m1 = n;
            }
        }
        if (m1 < 0) {
            return Double.NaN;
        }
        int pairSpan = analysis(T_PAIR_SECONDS);
        int left = oppositeMax(w4, m1, -1, Math.max(lo + 1, m1 - pairSpan), epsilon);
        int right = oppositeMax(w4, m1, +1, Math.min(hi - 1, m1 + pairSpan), epsilon);
        int m2 = left < 0 ? right : right < 0 ? left : Math.abs(w4[left]) >= Math.abs(w4[right]) ? left : right;
        int last = m1;
        if (m2 >= 0) {
            int a = Math.min(m1, m2);
            int b = Math.max(m1, m2);
            double zero = zeroCrossing(w4, a, b);
            out.tPeak = toSequence(start + zero + DyadicWavelet.HALF);
            out.tPolarity = w4[a] > 0 ? 1 : -1;
            last = b;
        }
        double off = boundRight(w4, last, XI_T_END * Math.abs(w4[last]),
                Math.min(len - 2, last + analysis(T_BOUND_SECONDS)));
        out.tOffset = toSequence(start + off + DyadicWavelet.HALF);
        return off + DyadicWavelet.HALF;
    }

    private void clearP() {
        out.pOnset = NONE;
        out.pPeak = NONE;
        out.pOffset = NONE;
        out.pPolarity = 0;
    }

    /** Fills the P fields of {@link #out} from positions in work coordinates. */
    private void setP(long start, double on, double peak, double off, int polarity) {
        out.pOnset = toSequence(start + on + DyadicWavelet.HALF);
        out.pPeak = toSequence(start + peak + DyadicWavelet.HALF);
        out.pOffset = toSequence(start + off + DyadicWavelet.HALF);
        out.pPolarity = polarity;
    }

    /**
     * Finds the P wave in {@code w4[lo..hi]} (scale 2^4); on success sets {@link #foundPOn}, {@link #foundPPeak},
     * {@link #foundPOff} (in the array's coordinates) and {@link #foundPPolarity}.
     */
    private boolean findP(double[] w4, int lo, int hi, double floor, double partnerFloor) {
        if (hi - lo < analysis(0.04)) {
            return false;
        }
        int m1 = -1;
        for (int n = lo + 1; n < hi; n++) {
            if (isLocalMax(w4, n) && Math.abs(w4[n]) > floor && (m1 < 0 || Math.abs(w4[n]) > Math.abs(w4[m1]))) {
                m1 = n;
            }
        }
        if (m1 < 0) {
            return false;
        }
        double partner = Math.max(partnerFloor, P_PARTNER_RATIO * Math.abs(w4[m1]));
        int pairMax = analysis(P_PAIR_MAX_SECONDS);
        int left = oppositeMax(w4, m1, -1, Math.max(lo + 1, m1 - pairMax), partner);
        int right = oppositeMax(w4, m1, +1, Math.min(hi - 1, m1 + pairMax), partner);
        int m2 = left < 0 ? right : right < 0 ? left : Math.abs(w4[left]) >= Math.abs(w4[right]) ? left : right;
        if (m2 < 0 || Math.abs(m2 - m1) < analysis(P_PAIR_MIN_SECONDS)) {
            return false;
        }
        int a = Math.min(m1, m2);
        int b = Math.max(m1, m2);
        foundPOn = boundLeft(w4, a, XI_P_ON * Math.abs(w4[a]), Math.max(1, a - analysis(P_BOUND_SECONDS)));
        foundPOff = boundRight(w4, b, XI_P_END * Math.abs(w4[b]), Math.min(hi, b + analysis(P_BOUND_SECONDS)));
        foundPPeak = zeroCrossing(w4, a, b);
        foundPPolarity = w4[a] > 0 ? 1 : -1;
        return true;
    }

    /**
     * The P wave from the template of the recent beats (see the class comment). A beat matches when its QRS
     * correlates with the template's and its RR is not premature; then, once the template holds
     * {@value #TPL_MIN_BEATS} beats: if the template shows no P wave, neither does the beat (a noise bump the beat's
     * own search found is dropped); otherwise, when the beat's P stretch correlates with the template's at a lag of at
     * most {@value #P_MATCH_LAG_SECONDS} s, the beat's own P is kept if its onset lies within
     * {@value #P_MATCH_GATE_SECONDS} s of the template's (shifted by the QRS alignment and that lag), and replaced by
     * the shifted template's P otherwise. Beats that do not match keep their own P. The beat then joins the template if
     * it matched (or seeds a new one after {@value #TPL_RESEED} beats in a row that did not).
     */
    private void matchTemplate(long start, double rr, int len, int r, double qrsOn, double ownPOn) {
        if (len < tplLen + analysis(TPL_ALIGN_SECONDS) || Double.isNaN(qrsOn) || Double.isNaN(rr)) {
            return;
        }
        int lag = 0;
        boolean match = false;
        if (tplCount > 0) {
            int q = analysis(TPL_QRS_SECONDS);
            int align = analysis(TPL_ALIGN_SECONDS);
            double best = Double.NEGATIVE_INFINITY;
            for (int l = -align; l <= align; l++) {
                double c = correlation(work, r - q + l, tpl, pre - q, 2 * q + 1);
                if (c > best) {
                    best = c;
                    lag = l;
                }
            }
            match = best >= TPL_QRS_CORRELATION && rr >= (1 - TPL_RR_SHORT) * tplMeanRr
                    && rr <= (1 + TPL_RR_LONG) * tplMeanRr;
        }
        if (match && tplCount >= TPL_MIN_BEATS) {
            if (!tplHasP) {
                clearP();
            } else {
                applyTemplateP(start, lag, ownPOn);
            }
        }
        if (match || tplCount == 0) {
            addToTemplate(lag, rr, Double.isNaN(previousTOffset) ? Double.NaN : previousTOffset - start - lag);
        } else if (++tplRejected >= TPL_RESEED) {
            tplCount = 0;
            tplNext = 0;
            addToTemplate(0, rr, Double.isNaN(previousTOffset) ? Double.NaN : previousTOffset - start);
        }
    }

    /**
     * Compares the beat's P stretch with the template's (the beat aligned by {@code lag}, its own P onset at
     * {@code ownPOn} in work coordinates or NaN); see {@link #matchTemplate}.
     */
    private void applyTemplateP(long start, int lag, double ownPOn) {
        int margin = analysis(P_MATCH_MARGIN_SECONDS);
        int a = (int) Math.floor(tplPOn) - margin;
        int b = (int) Math.ceil(tplPOff) + margin;
        int maxLag = analysis(P_MATCH_LAG_SECONDS);
        if (a - maxLag + lag < 0 || a < 0) {
            return;
        }
        double best = Double.NEGATIVE_INFINITY;
        int bestLag = 0;
        for (int l = -maxLag; l <= maxLag; l++) {
            double c = correlation(w4, a + lag + l, tplW4, a, b - a + 1);
            if (c > best) {
                best = c;
                bestLag = l;
            }
        }
        if (best < P_MATCH_CORRELATION) {
            return;
        }
        int shift = lag + bestLag;
        double on = tplPOn + shift;
        if (Math.abs(ownPOn - on) <= P_MATCH_GATE_SECONDS * ANALYSIS_RATE_HZ) {
            return; // the beat's own P, where the template expects it (false when NaN)
        }
        setP(start, on, tplPPeak + shift, tplPOff + shift, tplPPolarity);
    }

    /** Adds work[lag..lag + tplLen) to the template and delineates the new template's P wave. */
    private void addToTemplate(int lag, double rr, double previousT) {
        double[] slot = tplBeats[tplNext];
        int last = work.length - 1;
        for (int i = 0; i < tplLen; i++) {
            int k = Math.min(last, Math.max(0, i + lag));
            slot[i] = work[k];
        }
        tplRrs[tplNext] = rr;
        tplPreviousT[tplNext] = previousT;
        tplNext = (tplNext + 1) % TPL_BEATS;
        tplCount = Math.min(TPL_BEATS, tplCount + 1);
        tplRejected = 0;
        double rrSum = 0;
        double tSum = 0;
        int tCount = 0;
        for (int i = 0; i < tplLen; i++) {
            tpl[i] = 0;
        }
        for (int j = 0; j < tplCount; j++) {
            double[] beat = tplBeats[j];
            for (int i = 0; i < tplLen; i++) {
                tpl[i] += beat[i];
            }
            rrSum += tplRrs[j];
            if (!Double.isNaN(tplPreviousT[j])) {
                tSum += tplPreviousT[j];
                tCount++;
            }
        }
        for (int i = 0; i < tplLen; i++) {
            tpl[i] /= tplCount;
        }
        tplMeanRr = rrSum / tplCount;
        tplHasP = false;
        if (tplCount < TPL_MIN_BEATS) {
            return;
        }
        wavelet.transform(tpl, tplLen, 2, tplW2, 0, tplLen);
        wavelet.transform(tpl, tplLen, 4, tplW4, 0, tplLen);
        if (!findQrs(tplW2, tplLen, pre)) {
            return;
        }
        double qrsOn = foundOn;
        int mainLo = Math.max(1, pre - analysis(QRS_MAIN_SECONDS));
        int mainHi = Math.min(tplLen - 2, pre + analysis(QRS_MAIN_SECONDS));
        double qrsScale4 = Math.abs(tplW4[argMaxAbs(tplW4, mainLo, mainHi)]);
        int pHi = (int) Math.floor(qrsOn) - analysis(P_GUARD_SECONDS);
        int pLo = (int) Math.ceil(qrsOn) - analysis(P_WINDOW_SECONDS);
        if (2 * tCount > tplCount) {
            pLo = (int) Math.max(pLo, Math.ceil(tSum / tCount) + analysis(0.02));
        }
        pLo = Math.max(1, pLo);
        if (findP(tplW4, pLo, pHi, TPL_P_MIN_SHARE * P_MIN_RATIO * qrsScale4, 0)) {
            tplHasP = true;
            tplPOn = foundPOn;
            tplPPeak = foundPPeak;
            tplPOff = foundPOff;
            tplPPolarity = foundPPolarity;
        }
    }

    /** Pearson correlation of x[xFrom..xFrom + n) and y[yFrom..yFrom + n), 0 when either is flat. */
    private static double correlation(double[] x, int xFrom, double[] y, int yFrom, int n) {
        double sx = 0, sy = 0, sxx = 0, syy = 0, sxy = 0;
        for (int k = 0; k < n; k++) {
            double u = x[xFrom + k];
            double v = y[yFrom + k];
            sx += u;
            sy += v;
            sxx += u * u;
            syy += v * v;
            sxy += u * v;
        }
        double vx = sxx - sx * sx / n;
        double vy = syy - sy * sy / n;
        return vx > 0 && vy > 0 ? (sxy - sx * sy / n) / Math.sqrt(vx * vy) : 0;
    }

    /**
     * Whether |w| stays below {@code level} for {@link #QRS_QUIET_SECONDS} somewhere strictly between {@code a} and
     * {@code b}.
     */
    private boolean quietBetween(double[] w, int a, int b, double level) {
        int run = 0;
        for (int n = a + 1; n < b; n++) {
            run = Math.abs(w[n]) < level ? run + 1 : 0;
            if (run >= quietRun) {
                return true;
            }
        }
        return false;
    }

    /** Median of |w[0..len)|, by selection in the scratch array. */
    private double medianAbs(double[] w, int len) {
        for (int i = 0; i < len; i++) {
            scratch[i] = Math.abs(w[i]);
        }
        return OrderStatistics.select(scratch, len, len / 2);
    }

    /** The nearest local maximum of |w| from {@code from} in direction {@code dir}, of opposite sign, above {@code min}. */
    private static int oppositeMax(double[] w, int from, int dir, int limit, double min) {
        double sign = Math.signum(w[from]);
        for (int n = from + dir; dir < 0 ? n >= limit : n <= limit; n += dir) {
            if (Math.signum(w[n]) == -sign && isLocalMax(w, n) && Math.abs(w[n]) > min) {
                return n;
            }
        }
        return -1;
    }

    private static boolean isLocalMax(double[] w, int n) {
        double v = Math.abs(w[n]);
        return v >= Math.abs(w[n - 1]) && v > Math.abs(w[n + 1]);
    }

    private static int argMaxAbs(double[] w, int lo, int hi) {
        int best = lo;
        for (int n = lo + 1; n <= hi; n++) {
            if (Math.abs(w[n]) > Math.abs(w[best])) {
                best = n;
            }
        }
        return best;
    }

    /** First sign change of w between a and b, interpolated. */
    private static double zeroCrossing(double[] w, int a, int b) {
        for (int n = a; n < b; n++) {
            if (w[n] == 0) {
                return n;
            }
            if (Math.signum(w[n]) != Math.signum(w[n + 1])) {
                return n + w[n] / (w[n] - w[n + 1]);
            }
        }
        return (a + b) / 2.0;
    }

    /**
     * Walks left from the maximum at {@code from} to where |w| falls to {@code xi} (interpolated) or to a local
     * minimum of |w|, whichever comes first, not beyond {@code limit}.
     */
    private static double boundLeft(double[] w, int from, double xi, int limit) {
        for (int n = from - 1; n >= limit; n--) {
            double v = Math.abs(w[n]);
            if (v <= xi) {
                double u = Math.abs(w[n + 1]);
                return n + (xi - v) / (u - v);
            }
            if (n > 0 && Math.abs(w[n - 1]) >= v) {
                return n;
            }
        }
        return limit;
    }

    private static double boundRight(double[] w, int from, double xi, int limit) {
        for (int n = from + 1; n <= limit; n++) {
            double v = Math.abs(w[n]);
            if (v <= xi) {
                double u = Math.abs(w[n - 1]);
                return n - (xi - v) / (u - v);
            }
            if (n + 1 < w.length && Math.abs(w[n + 1]) >= v) {
                return n;
            }
        }
        return limit;
    }

    public double sampleRateHz() {
        return sampleRateHz;
    }

    /** Longest time from an R peak to the delivery of its delineation, in seconds (for R peaks given in time). */
    public double maxLatencySeconds() {
        return T_END_MAX_SECONDS + MARGIN_SECONDS + 2 / ANALYSIS_RATE_HZ + delayInput / sampleRateHz;
    }

    /** Beats delineated since construction. */
    public long delineatedBeats() {
        return delineated;
    }

    /** Beats given but not delineated: their signal had already left the ring, or too many were waiting. */
    public long droppedBeats() {
        return dropped;
    }
}
