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
        int nm = argMaxAbs(w2, mainLo, mainHi);
        double m = Math.abs(w2[nm]);
        double qrsOn = Double.NaN;
        double qrsOff = Double.NaN;
        double medianSlope = medianAbs(w2, len);
        double noise = NOISE_K * medianSlope;
        if (m > 0) {
            out.qrsSnr = medianSlope > 0 ? m / medianSlope : Double.POSITIVE_INFINITY;
            int searchLo = Math.max(1, r - analysis(QRS_SEARCH_SECONDS));
            int searchHi = Math.min(len - 2, r + analysis(QRS_SEARCH_SECONDS));
            int chain = analysis(QRS_CHAIN_SECONDS);
            // the wave whose peak is R has a slope on either side of it: both belong to the QRS, however wide
            int nf = nm;
            int nl = nm;
            int pre = argMaxAbs(w2, mainLo, r);
            if (pre < nf && isLocalMax(w2, pre) && Math.abs(w2[pre]) >= Math.max(noise, GAMMA_PRE * m)) {
                nf = pre;
            }
            int post = argMaxAbs(w2, r, mainHi);
            if (post > nl && isLocalMax(w2, post) && Math.abs(w2[post]) >= Math.max(noise, GAMMA_POST * m)) {
                nl = post;
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
            qrsOn = boundLeft(w2, nf, xiOn, Math.max(1, nf - analysis(QRS_BOUND_SECONDS)));
            double xiEnd = (w2[nl] > 0 ? XI_QRS_END_RISING : XI_QRS_END_FALLING) * Math.abs(w2[nl]);
            qrsOff = boundRight(w2, nl, xiEnd, Math.min(len - 2, nl + analysis(QRS_BOUND_SECONDS)));
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
                if (Math.abs(w2[n]) > NEXT_QRS_RATIO * m) {
                    tHi = Math.min(tHi, n - analysis(NEXT_QRS_CLEARANCE));
                    break;
                }
            }
            tOff = delineateT(start, tLo, tHi, len);
        }

        if (!Double.isNaN(qrsOn)) {
            int pHi = (int) Math.floor(qrsOn) - analysis(P_GUARD_SECONDS);
            int pLo = (int) Math.ceil(qrsOn) - analysis(P_WINDOW_SECONDS);
            if (!Double.isNaN(previousTOffset)) {
                pLo = (int) Math.max(pLo, Math.ceil(previousTOffset - start) + analysis(0.02));
            }
            pLo = Math.max(1, pLo);
            delineateP(start, pLo, pHi, qrsScale4);
        }
        previousTOffset = Double.isNaN(tOff) ? Double.NaN : start + tOff;
        delineated++;
        listener.onDelineation(out);
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

    private void delineateP(long start, int lo, int hi, double qrsScale4) {
        if (hi - lo < analysis(0.04)) {
            return;
        }
        double floor = P_MIN_RATIO * qrsScale4;
        int m1 = -1;
        for (int n = lo + 1; n < hi; n++) {
            if (isLocalMax(w4, n) && Math.abs(w4[n]) > floor && (m1 < 0 || Math.abs(w4[n]) > Math.abs(w4[m1]))) {
                m1 = n;
            }
        }
        if (m1 < 0) {
            return;
        }
        double partner = Math.max(floor, P_PARTNER_RATIO * Math.abs(w4[m1]));
        int pairMax = analysis(P_PAIR_MAX_SECONDS);
        int left = oppositeMax(w4, m1, -1, Math.max(lo + 1, m1 - pairMax), partner);
        int right = oppositeMax(w4, m1, +1, Math.min(hi - 1, m1 + pairMax), partner);
        int m2 = left < 0 ? right : right < 0 ? left : Math.abs(w4[left]) >= Math.abs(w4[right]) ? left : right;
        if (m2 < 0 || Math.abs(m2 - m1) < analysis(P_PAIR_MIN_SECONDS)) {
            return;
        }
        int a = Math.min(m1, m2);
        int b = Math.max(m1, m2);
        double on = boundLeft(w4, a, XI_P_ON * Math.abs(w4[a]), Math.max(1, a - analysis(P_BOUND_SECONDS)));
        double off = boundRight(w4, b, XI_P_END * Math.abs(w4[b]), Math.min(hi, b + analysis(P_BOUND_SECONDS)));
        double peak = zeroCrossing(w4, a, b);
        out.pOnset = toSequence(start + on + DyadicWavelet.HALF);
        out.pPeak = toSequence(start + peak + DyadicWavelet.HALF);
        out.pOffset = toSequence(start + off + DyadicWavelet.HALF);
        out.pPolarity = w4[a] > 0 ? 1 : -1;
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
