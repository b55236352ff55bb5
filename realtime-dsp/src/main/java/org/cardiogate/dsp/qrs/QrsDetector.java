package org.cardiogate.dsp.qrs;

import java.util.Objects;
import org.cardiogate.dsp.filter.Biquad;
import org.cardiogate.dsp.filter.BiquadCascade;
import org.cardiogate.dsp.filter.EcgFilters;

/**
 * Streaming QRS detector for one ECG lead, after Pan and Tompkins (1985) with Hamilton's peak rules, for any
 * sample rate (all settings are in seconds and hertz, see {@link QrsDetectorConfig}).
 *
 * <p>Pipeline per sample: a 5-15 Hz band-pass, a slope over 10 ms, squaring and a moving-window integrator. Peaks
 * of the integrator are compared with adaptive signal and noise levels; a peak within 360 ms of a beat must be
 * steep enough not to be a T wave; a larger peak within 250 ms of a beat not yet reported replaces it (the first
 * was a P wave); in an irregular rhythm (one of the last 8 RR intervals more than 15 % off their mean) a peak more
 * than 300 ms after a beat needs only half the threshold, as Pan and Tompkins halve it; with no beat for 1.66 mean
 * RR intervals the largest peak above half the threshold is taken back (search-back). A peak that passes only the
 * lowered threshold of an irregular rhythm must also look like a QRS: its energy above 40 Hz within 50 ms must not
 * exceed {@link QrsDetectorConfig#irregularMaxHfRatio()} times its energy in the QRS band, else it is a burst of muscle
 * activity (in a rhythm that stays irregular, such as bigeminy, the lowered threshold otherwise lets such bursts through
 * as beats: MIT-BIH 119 with muscle noise at 6 dB had 33 of its 50 false beats from it). Each accepted peak is placed
 * on the R wave: the largest deviation from
 * the local baseline, either polarity (with a preference for the polarity of the previous beat), of the input after
 * a 0.5 Hz high-pass and a 40 Hz low-pass, moved back by that filter's group delay. Its history is kept in ring
 * buffers, so the reported sample is the true peak and not the integrator's.
 *
 * <p>Latency: a beat found by the threshold is reported at most {@link #maxReportDelaySeconds()} (under 300 ms
 * with the defaults) after its R peak. A beat found by search-back is reported when the search-back fires, at
 * most {@link QrsDetectorConfig#maxSearchBackSeconds()} after the previous beat. During the first
 * {@link QrsDetectorConfig#learningSeconds()} after construction or {@link #reset()} nothing is reported; then the
 * detector goes back over those seconds and reports their beats at once. Beats are always reported in order.
 *
 * <p>Cost: the filters, slope and integrator run over up to 64 samples at a time in one loop, in direct form I with
 * the state in local variables, ahead of the per-sample decisions ({@link #process(double[], int, int)}); a single
 * sample goes the same way, so the result does not depend on how the input is cut.
 *
 * <p>Allocation-free after construction. Not thread-safe: one instance per lead, fed by one thread.
 */
public final class QrsDetector {
    private static final long NONE = Long.MIN_VALUE;
    private static final int MAX_CANDIDATES = 64;
    private static final int RR_HISTORY = 8;
    private static final double POLARITY_HYSTERESIS = 1.4;
    /** Samples filtered ahead of the decisions in one go, so that the filter state stays in registers. */
    private static final int CHUNK = 64;
    /** Half the window in which a candidate's energy above 40 Hz is compared with its QRS-band energy. */
    private static final double HF_HALF_SECONDS = 0.05;

    private final double sampleRateHz;
    private final QrsDetectorConfig config;
    private final BeatSink sink;
    private final BiquadCascade light;
    private final BiquadCascade band;
    /**
     * The four sections run in one loop in direct form I (three multiplications each, the numerators being
     * {@code b0 (1 -+ 2 z^-1 + z^-2)}): b0, a1 and a2 of the 0.5 Hz high-pass (h), the 40 Hz low-pass (l) and the QRS
     * band's high-pass (p) and low-pass (q).
     */
    private final double hb, ha1, ha2, lb, la1, la2, pb, pa1, pa2, qb, qa1, qa2;
    /** Their steady-state gains, to start from the first sample as if it had always been there. */
    private final double hGain, lGain, pGain, qGain;
    /** Between chunks: the last two inputs and the last two outputs of each section. */
    private final double[] filterState = new double[10];
    private final double[] single = new double[1];

    private final int lightDelay;
    private final int slopeDelay;
    private final int derivativeLag;
    private final int integration;
    private final int refractory;
    private final int pWave;
    private final int irregularFrom;
    private final int tWave;
    private final int learning;
    private final int transientSkip;
    private final int rSearch;
    private final int peakTimeout;
    private final int maxSearchBack;
    private final int decaySpan;
    private final int bandDelay;
    private final int hfHalf;
    private final double maxHfRatio;
    private double searchBackLimit;

    private final int mask;
    private final double[] lightRing;
    private final double[] bandRing;
    private final double[] energyRing;
    private final double[] slopeRing;
    private final double[] integralRing;
    /** Squared input above 40 Hz: the 0.5 Hz high-passed input minus its 40 Hz low-pass. */
    private final double[] hfRing;

    private long n;
    private double integralSum;
    private boolean learned;
    private boolean replaying;

    private boolean tracking;
    private double peakValue;
    private long peakIndex;
    private double valley;

    private double signalLevel;
    private double noiseLevel;
    private long lastBeat;
    private double lastSlope;
    private boolean lastPositive;

    private boolean pending;
    private long pendR;
    private long pendDue;
    private double pendValue;
    private double pendAmplitude;
    private double pendSlope;
    private boolean pendPositive;

    private final long[] rr = new long[RR_HISTORY];
    private int rrCount;
    private int rrNext;
    private double rrMean;

    private final long[] candR = new long[MAX_CANDIDATES];
    private final double[] candPeak = new double[MAX_CANDIDATES];
    private final double[] candAmplitude = new double[MAX_CANDIDATES];
    private final double[] candSlope = new double[MAX_CANDIDATES];
    private final boolean[] candPositive = new boolean[MAX_CANDIDATES];
    private int candCount;

    private long beats;
    private long searchBackBeats;
    private long hfRejected;
    private long maxDelaySamples;

    public QrsDetector(double sampleRateHz, BeatSink sink) {
        this(sampleRateHz, QrsDetectorConfig.defaults(), sink);
    }

    public QrsDetector(double sampleRateHz, QrsDetectorConfig config, BeatSink sink) {
        if (!(sampleRateHz >= 100 && sampleRateHz <= 10_000)) {
            throw new IllegalArgumentException("QRS detector sample rate must be between 100 Hz and 10 kHz, got "
                    + sampleRateHz + " Hz");
        }
        this.sampleRateHz = sampleRateHz;
        this.config = Objects.requireNonNull(config, "config");
        this.sink = Objects.requireNonNull(sink, "sink");
        this.light = BiquadCascade.concat(EcgFilters.baselineHighPass(sampleRateHz),
                EcgFilters.diagnosticLowPass(sampleRateHz));
        this.band = EcgFilters.bandPass(sampleRateHz, config.bandLowHz(), config.bandHighHz(), 2);
        Biquad h = light.sections().get(0);
        Biquad l = light.sections().get(1);
        Biquad p = band.sections().get(0);
        Biquad q = band.sections().get(1);
        if (light.sectionCount() != 2 || band.sectionCount() != 2 || !h.hasHighPassNumerator()
                || !l.hasLowPassNumerator() || !p.hasHighPassNumerator() || !q.hasLowPassNumerator()) {
            throw new IllegalStateException("QRS detector filters must be a second-order high-pass and low-pass each");
        }
        hb = h.b0(); ha1 = h.a1(); ha2 = h.a2(); hGain = h.dcGain();
        lb = l.b0(); la1 = l.a1(); la2 = l.a2(); lGain = l.dcGain();
        pb = p.b0(); pa1 = p.a1(); pa2 = p.a2(); pGain = p.dcGain();
        qb = q.b0(); qa1 = q.a1(); qa2 = q.a2(); qGain = q.dcGain();
        this.bandDelay = (int) Math.round(band.groupDelaySamplesAt(10));
        this.hfHalf = Math.max(1, samples(HF_HALF_SECONDS));
        this.maxHfRatio = config.irregularMaxHfRatio();
        this.lightDelay = (int) Math.round(light.groupDelaySamplesAt(10));
        this.derivativeLag = Math.max(1, samples(config.derivativeSeconds()));
        this.slopeDelay = (int) Math.round(band.groupDelaySamplesAt(10) + derivativeLag / 2.0);
        this.integration = Math.max(1, samples(config.integrationSeconds()));
        this.refractory = samples(config.refractorySeconds());
        this.pWave = Math.max(refractory, samples(config.pWaveSeconds()));
        this.irregularFrom = samples(config.irregularMinSeconds());
        this.tWave = samples(config.tWaveSeconds());
        this.learning = Math.max(samples(config.learningSeconds()), 2 * integration);
        this.transientSkip = Math.min(samples(0.25), learning / 4);
        this.rSearch = Math.max(1, samples(config.rSearchSeconds()));
        this.peakTimeout = Math.max(1, samples(config.peakTimeoutSeconds()));
        this.maxSearchBack = samples(config.maxSearchBackSeconds());
        this.decaySpan = samples(1.0);
        int history = learning + integration + slopeDelay + 2 * rSearch + lightDelay + peakTimeout + 2 * hfHalf
                + bandDelay + CHUNK + 8;
        int size = Integer.highestOneBit(Math.max(history, 16) - 1) << 1;
        this.mask = size - 1;
        this.lightRing = new double[size];
        this.bandRing = new double[size];
        this.energyRing = new double[size];
        this.slopeRing = new double[size];
        this.integralRing = new double[size];
        this.hfRing = new double[size];
        reset();
    }

    /** Forgets everything, as after construction; the next sample is index 0 and learning starts again. */
    public void reset() {
        n = 0;
        integralSum = 0;
        learned = false;
        tracking = false;
        peakValue = 0;
        peakIndex = 0;
        valley = Double.MAX_VALUE;
        signalLevel = 0;
        noiseLevel = 0;
        lastBeat = NONE;
        lastSlope = 0;
        lastPositive = true;
        rrCount = 0;
        rrNext = 0;
        rrMean = sampleRateHz;
        searchBackLimit = Math.min(config.searchBackRrFactor() * rrMean, maxSearchBack);
        candCount = 0;
        pending = false;
        java.util.Arrays.fill(energyRing, 0);
        java.util.Arrays.fill(filterState, 0);
    }

    /** Feeds one sample (any unit, e.g. mV); may report beats to the sink before it returns. */
    public void process(double x) {
        single[0] = x;
        process(single, 0, 1);
    }

    /**
     * Feeds {@code len} samples of {@code x} from {@code offset}; may report beats to the sink before it returns. The
     * result is the same as feeding them one by one, and during a report {@link #samplesProcessed()} counts the samples
     * up to the one that decided the beat, as it would then.
     */
    public void process(double[] x, int offset, int len) {
        for (int from = offset, end = offset + len; from < end; ) {
            int count = Math.min(CHUNK, end - from);
            filter(x, from, count);
            for (int j = 0; j < count; j++) {
                n++;
                if (learned) {
                    step(n - 1);
                } else if (n == learning) {
                    learn();
                }
            }
            from += count;
        }
    }

    /**
     * Runs the filters, slope, energy and integrator over {@code count} samples into the rings at the positions of
     * samples {@code n .. n + count - 1}, ahead of the decisions (which never read past the sample they decide). The
     * recursions of the four sections overlap; each output is formed so that its loop-carried path is one
     * multiplication and one subtraction.
     */
    private void filter(double[] x, int offset, int count) {
        final double[] st = filterState;
        if (n == 0) {
            double x0 = x[offset];
            double hp = hGain * x0;
            double f = lGain * hp;
            double g = pGain * x0;
            double b = qGain * g;
            st[0] = x0; st[1] = x0; st[2] = hp; st[3] = hp; st[4] = f; st[5] = f;
            st[6] = g; st[7] = g; st[8] = b; st[9] = b;
        }
        final double hb = this.hb, ha1 = this.ha1, ha2 = this.ha2, lb = this.lb, la1 = this.la1, la2 = this.la2;
        final double pb = this.pb, pa1 = this.pa1, pa2 = this.pa2, qb = this.qb, qa1 = this.qa1, qa2 = this.qa2;
        double x1 = st[0], x2 = st[1], hp1 = st[2], hp2 = st[3], f1 = st[4], f2 = st[5];
        double g1 = st[6], g2 = st[7], b1 = st[8], b2 = st[9];
        final int mask = this.mask;
        final int lag = derivativeLag;
        final int span = integration;
        final double[] bandRing = this.bandRing, energyRing = this.energyRing, lightRing = this.lightRing;
        final double[] slopeRing = this.slopeRing, integralRing = this.integralRing, hfRing = this.hfRing;
        double sum = integralSum;
        long m = n;
        for (int k = offset, end = offset + count; k < end; k++, m++) {
            double v = x[k];
            double d2 = (v - x1) - (x1 - x2);
            double hp = hb * d2 - ha2 * hp2 - ha1 * hp1;
            double f = lb * ((hp + hp1) + (hp1 + hp2)) - la2 * f2 - la1 * f1;
            double g = pb * d2 - pa2 * g2 - pa1 * g1;
            double b = qb * ((g + g1) + (g1 + g2)) - qa2 * b2 - qa1 * b1;
            x2 = x1; x1 = v; hp2 = hp1; hp1 = hp; f2 = f1; f1 = f; g2 = g1; g1 = g; b2 = b1; b1 = b;
            int i = (int) (m & mask);
            bandRing[i] = b;
            double d = m >= lag ? (b - bandRing[(int) ((m - lag) & mask)]) : 0;
            double e = d * d;
            sum += e - energyRing[(int) ((m - span) & mask)];
            if (sum < 0) {
                sum = 0;
            }
            energyRing[i] = e;
            lightRing[i] = f;
            slopeRing[i] = Math.abs(d);
            integralRing[i] = sum;
            double hf = hp - f;
            hfRing[i] = hf * hf;
        }
        integralSum = sum;
        st[0] = x1; st[1] = x2; st[2] = hp1; st[3] = hp2; st[4] = f1; st[5] = f2;
        st[6] = g1; st[7] = g2; st[8] = b1; st[9] = b2;
    }

    /**
     * Ends the input (end of a record, or before a gap): decides on the peak in progress and reports any beat it
     * holds. Call {@link #reset()} before feeding more samples.
     */
    public void finish() {
        if (n == 0) {
            return;
        }
        if (!learned) {
            learn();
        }
        if (tracking) {
            tracking = false;
            onPeak(peakIndex, peakValue, n - 1);
        }
        if (pending) {
            acceptPending(n - 1);
        }
    }

    private void learn() {
        double max = 0;
        double sum = 0;
        long from = Math.min(transientSkip, n - 1);
        for (long k = from; k < n; k++) {
            double v = integralRing[(int) (k & mask)];
            max = Math.max(max, v);
            sum += v;
        }
        signalLevel = max / 2;
        noiseLevel = sum / (n - from) / 2;
        learned = true;
        replaying = true;
        for (long k = from; k < n; k++) {
            step(k);
        }
        replaying = false;
    }

    private double threshold() {
        return noiseLevel + config.thresholdFraction() * (signalLevel - noiseLevel);
    }

    /** The threshold for a peak {@code since} samples after the last beat: lowered in an irregular rhythm. */
    private double beatThreshold(long since) {
        double fraction = config.thresholdFraction();
        if (since >= irregularFrom && irregular()) {
            fraction *= config.irregularThresholdFactor();
        }
        return noiseLevel + fraction * (signalLevel - noiseLevel);
    }

    /** True once the RR history is full and one of its intervals is off the mean by more than the tolerance. */
    private boolean irregular() {
        if (rrCount < RR_HISTORY) {
            return false;
        }
        double tolerance = config.irregularRrTolerance() * rrMean;
        for (int c = 0; c < rrCount; c++) {
            if (Math.abs(rr[c] - rrMean) > tolerance) {
                return true;
            }
        }
        return false;
    }

    private void step(long k) {
        double v = integralRing[(int) (k & mask)];
        if (tracking) {
            if (v > peakValue) {
                peakValue = v;
                peakIndex = k;
            } else if (v < peakValue / 2 || k - peakIndex >= peakTimeout) {
                tracking = false;
                valley = v;
                onPeak(peakIndex, peakValue, k);
            }
        } else if (v < valley) {
            valley = v;
        } else if (v > valley) {
            tracking = true;
            peakValue = v;
            peakIndex = k;
        }
        if (pending && k >= pendDue) {
            if (tracking && peakValue > pendValue) {
                demotePending();
            } else {
                acceptPending(k);
            }
        }
        if (lastBeat != NONE && !pending) {
            long since = k - slopeDelay - integration / 2 - lastBeat;
            if (since > searchBackLimit) {
                searchBack(k);
            }
            if (since > maxSearchBack && since > 2 * rrMean) {
                // nothing for a long time: let the signal level sink towards the noise so a weaker signal is found
                signalLevel -= (signalLevel - noiseLevel) / decaySpan;
            }
        }
    }

    private void onPeak(long peak, double value, long now) {
        long from = peak - integration + 1;
        long slopeAt = peak;
        double slope = -1;
        for (long k = from; k <= peak; k++) {
            double s = slopeRing[(int) (k & mask)];
            if (s > slope) {
                slope = s;
                slopeAt = k;
            }
        }
        long centre = slopeAt - slopeDelay + lightDelay;
        long lo = Math.max(centre - rSearch, Math.max(0, now - mask + CHUNK));
        long hi = Math.min(centre + rSearch, now);
        if (hi < lo) {
            return;
        }
        double base = (lightRing[(int) (lo & mask)] + lightRing[(int) (hi & mask)]) / 2;
        long posAt = lo;
        long negAt = lo;
        double pos = 0;
        double neg = 0;
        for (long k = lo; k <= hi; k++) {
            double dv = lightRing[(int) (k & mask)] - base;
            if (dv > pos) {
                pos = dv;
                posAt = k;
            } else if (-dv > neg) {
                neg = -dv;
                negAt = k;
            }
        }
        boolean positive = lastPositive ? pos * POLARITY_HYSTERESIS >= neg : pos > neg * POLARITY_HYSTERESIS;
        long r = (positive ? posAt : negAt) - lightDelay;
        double amplitude = positive ? pos : -neg;
        if (pending) {
            long gap = r - pendR;
            if (gap < pWave && value > pendValue) {
                // a larger complex follows within a PR interval: the first was a P wave or noise
                demotePending();
            } else if (gap < refractory) {
                return;
            } else {
                acceptPending(now);
            }
        }
        if (lastBeat != NONE && r - lastBeat < refractory) {
            return;
        }
        boolean tWaveLike = lastBeat != NONE && r - lastBeat < tWave && slope < config.tWaveSlopeRatio() * lastSlope;
        long since = lastBeat == NONE ? Long.MAX_VALUE : r - lastBeat;
        boolean beat = value > beatThreshold(since) && !tWaveLike;
        if (beat && value <= threshold() && hfRatio(r, now) > maxHfRatio) {
            // passed only the threshold lowered for an irregular rhythm, and broadband: a muscle burst
            beat = false;
            hfRejected++;
        }
        if (beat) {
            pending = true;
            pendR = r;
            pendDue = r + pWave + slopeDelay;
            pendValue = value;
            pendAmplitude = amplitude;
            pendSlope = slope;
            pendPositive = positive;
        } else {
            noiseLevel += 0.125 * (value - noiseLevel);
            addCandidate(r, value, amplitude, slope, positive);
        }
    }

    /**
     * Energy above 40 Hz within 50 ms of {@code r} over the QRS-band energy of the same span (the band output moved by
     * its group delay), from the samples up to {@code now}. A QRS complex has most of its energy below 40 Hz (on the
     * MIT-BIH records the ratio is under 1 for 95 % of beats), a burst of muscle activity is broadband.
     */
    private double hfRatio(long r, long now) {
        long oldest = Math.max(0, now - mask + CHUNK);
        double hf = 0;
        for (long k = Math.max(oldest, r - hfHalf), end = Math.min(now, r + hfHalf); k <= end; k++) {
            hf += hfRing[(int) (k & mask)];
        }
        double qrs = 0;
        for (long k = Math.max(oldest, r - hfHalf + bandDelay), end = Math.min(now, r + hfHalf + bandDelay); k <= end;
                k++) {
            double b = bandRing[(int) (k & mask)];
            qrs += b * b;
        }
        return qrs > 0 ? hf / qrs : Double.POSITIVE_INFINITY;
    }

    private void acceptPending(long now) {
        pending = false;
        accept(pendR, pendAmplitude, pendValue, pendSlope, pendPositive, false, now);
    }

    private void demotePending() {
        pending = false;
        noiseLevel += 0.125 * (pendValue - noiseLevel);
        addCandidate(pendR, pendValue, pendAmplitude, pendSlope, pendPositive);
    }

    private void addCandidate(long r, double value, double amplitude, double slope, boolean positive) {
        int at = candCount;
        if (candCount == MAX_CANDIDATES) {
            // keep the largest: replace the smallest if this one is larger
            at = 0;
            for (int c = 1; c < candCount; c++) {
                if (candPeak[c] < candPeak[at]) {
                    at = c;
                }
            }
            if (candPeak[at] >= value) {
                return;
            }
            for (int c = at; c < candCount - 1; c++) {
                copyCandidate(c + 1, c);
            }
            at = candCount - 1;
        } else {
            candCount++;
        }
        candR[at] = r;
        candPeak[at] = value;
        candAmplitude[at] = amplitude;
        candSlope[at] = slope;
        candPositive[at] = positive;
    }

    private void copyCandidate(int from, int to) {
        candR[to] = candR[from];
        candPeak[to] = candPeak[from];
        candAmplitude[to] = candAmplitude[from];
        candSlope[to] = candSlope[from];
        candPositive[to] = candPositive[from];
    }

    private void searchBack(long now) {
        double limit = threshold() / 2;
        int best = -1;
        for (int c = 0; c < candCount; c++) {
            long since = candR[c] - lastBeat;
            if (since < refractory || candPeak[c] <= limit) {
                continue;
            }
            if (since < tWave && candSlope[c] < config.tWaveSlopeRatio() * lastSlope) {
                continue;
            }
            if (best < 0 || candPeak[c] > candPeak[best]) {
                best = c;
            }
        }
        if (best < 0) {
            return;
        }
        long r = candR[best];
        double value = candPeak[best];
        double amplitude = candAmplitude[best];
        double slope = candSlope[best];
        boolean positive = candPositive[best];
        int keep = 0;
        for (int c = 0; c < candCount; c++) {
            if (candR[c] > r) {
                copyCandidate(c, keep++);
            }
        }
        candCount = keep;
        accept(r, amplitude, value, slope, positive, true, now);
    }

    private void accept(long r, double amplitude, double value, double slope, boolean positive, boolean searchBack,
                        long now) {
        if (lastBeat != NONE) {
            long interval = r - lastBeat;
            rr[rrNext] = interval;
            rrNext = (rrNext + 1) % RR_HISTORY;
            if (rrCount < RR_HISTORY) {
                rrCount++;
            }
            long sum = 0;
            for (int c = 0; c < rrCount; c++) {
                sum += rr[c];
            }
            rrMean = (double) sum / rrCount;
            searchBackLimit = Math.min(config.searchBackRrFactor() * rrMean, maxSearchBack);
        }
        if (searchBack) {
            signalLevel += 0.25 * (value - signalLevel);
            searchBackBeats++;
        } else {
            signalLevel += 0.125 * (value - signalLevel);
            candCount = 0;
        }
        lastBeat = r;
        lastSlope = slope;
        lastPositive = positive;
        beats++;
        if (!replaying && !searchBack && now - r > maxDelaySamples) {
            maxDelaySamples = now - r;
        }
        sink.onBeat(r, amplitude);
    }

    private int samples(double seconds) {
        return (int) Math.round(seconds * sampleRateHz);
    }

    public double sampleRateHz() {
        return sampleRateHz;
    }

    public QrsDetectorConfig config() {
        return config;
    }

    /** Samples given since construction or the last reset. */
    public long samplesProcessed() {
        return n;
    }

    /** Upper bound of the time from an R peak to its report for beats found by the threshold, in seconds. */
    public double maxReportDelaySeconds() {
        return Math.max(integration + slopeDelay + rSearch + peakTimeout, pWave + slopeDelay) / sampleRateHz;
    }

    /** Longest R-to-report time seen so far for threshold beats after learning, in seconds (for diagnostics). */
    public double observedMaxReportDelaySeconds() {
        return maxDelaySamples / sampleRateHz;
    }

    public long beatCount() {
        return beats;
    }

    public long searchBackCount() {
        return searchBackBeats;
    }

    /**
     * Peaks that passed only the threshold lowered for an irregular rhythm but were taken for muscle noise, their
     * energy above 40 Hz exceeding {@link QrsDetectorConfig#irregularMaxHfRatio()} times their QRS-band energy.
     */
    public long hfRejectedCount() {
        return hfRejected;
    }
}
