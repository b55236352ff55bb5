package org.cardiogate.dsp.quality;

import java.util.Objects;
import org.cardiogate.dsp.filter.Biquad;
import org.cardiogate.dsp.filter.BiquadCascade;
import org.cardiogate.dsp.filter.EcgFilters;

/**
 * Signal quality of one ECG lead, judged window by window while the samples stream in.
 *
 * <p>Per window of {@link SignalQualityConfig#windowSeconds()} it measures, on the raw input: the peak-to-peak
 * (flat line); the longest run of one unchanged value at the window's maximum or minimum, and the samples at the
 * converter's rails when its range is known (clipping; railed for half the window or more is a lead-off, as is a
 * driver's lead-off flag, see {@link #setLeadOff(boolean)}); the power above 40 Hz (after 50 and 60 Hz notches)
 * over the power in the 5-15 Hz QRS band (muscle and electrode noise); the excursion of the signal below 1 Hz
 * (baseline wander); after the window, the mean energy in the QRS band of its samples more than 100 ms from any
 * beat of the main detector over the beats' peak energy in that band (noise where the detector looks). It also runs a {@link TwoAverageDetector} and compares its beats with those of the main
 * detector given to {@link #onPrimaryBeat(long)}: over the trailing {@link SignalQualityConfig#agreementSeconds()}
 * the bSQI is the share of beats both found (within {@link SignalQualityConfig#matchSeconds()}) among the beats
 * either found.
 *
 * <p>A window ending at sample {@code e} is judged when sample {@code e + decisionDelay} arrives, so the judgement
 * comes {@link SignalQualityConfig#decisionDelaySeconds()} after the window and at most window + delay after any of
 * its samples. Judgements do not depend on how the samples are cut into blocks.
 *
 * <p>Cost: the filters (ten second-order sections: four notches and the 40 Hz high-pass, the QRS band, the baseline
 * low-pass and the second detector's band) run over up to 64 samples at a time in one loop, in direct form I with the
 * state in local variables, ahead of the per-sample measures; the result does not depend on how the input is cut.
 *
 * <p>Allocation-free after construction. Not thread-safe: one instance per lead, fed by one thread.
 */
public final class SignalQualityMonitor {
    private static final int BEAT_RING = 256;
    private static final double QRS_HALF_SECONDS = 0.1;
    private static final double PEAK_HALF_SECONDS = 0.05;
    /** Samples filtered ahead of the per-sample measures in one go, so that the filter state stays in registers. */
    private static final int CHUNK = 64;
    /**
     * Sections run in one loop in direct form I: four notches and the 40 Hz high-pass, the QRS band's high-pass and
     * low-pass, the 1 Hz baseline low-pass, the second band's high-pass and low-pass.
     */
    private static final int SECTIONS = 10;

    private final double sampleRateHz;
    private final SignalQualityConfig config;
    private final QualitySink sink;
    private final TwoAverageDetector second;
    private final BiquadCascade highFrequency;
    private final BiquadCascade qrsBand;
    private final BiquadCascade baseline;
    private final int window;
    private final int delay;
    private final int clipRun;
    private final long agreement;
    private final long match;
    private final int qrsHalf;
    private final int peakHalf;
    private final int energyMask;
    /** How far back the band energies are kept: samples older than {@code n - energyHistory} are not read. */
    private final int energyHistory;
    private final double[] bandEnergy;
    /** b0, a1, a2 of each of the {@link #SECTIONS} sections, and their steady-state gains. */
    private final double[] coefficients = new double[3 * SECTIONS];
    private final double[] gains = new double[SECTIONS];
    /** Between chunks: the last two inputs, then the last two outputs of each section. */
    private final double[] filterState = new double[2 + 2 * SECTIONS];
    /**
     * Whether the high-frequency chain has all four notches (50, 100, 60, 120 Hz; any rate above 245 Hz) and runs in
     * the loop; at lower rates the notches above the Nyquist frequency are left out and the chain runs as a cascade.
     */
    private final boolean notchesInLoop;
    private final double[] chunkHf = new double[CHUNK];
    private final double[] chunkQrs = new double[CHUNK];
    private final double[] chunkBase = new double[CHUNK];
    private final double[] chunkSecond = new double[CHUNK];
    private final double[] single = new double[1];
    private final boolean railsKnown;
    private final double railTolerance;

    private final long[] primaryBeats = new long[BEAT_RING];
    private final long[] secondBeats = new long[BEAT_RING];
    private long primaryCount;
    private long secondCount;

    private long n;
    private long windowStart;
    private double min;
    private double max;
    private double baseMin;
    private double baseMax;
    private double hfPower;
    private double qrsPower;
    private double runValue;
    private int runLength;
    private double longestValue;
    private int longestRun;
    private int railed;
    private double beatPeakEnergy;
    private boolean leadOff;
    private boolean leadOffSeen;

    private boolean judging;
    private long judgeStart;
    private long judgeEnd;
    private int judgeFlags;
    private QualityClass judgeClass;

    private QualityClass current = QualityClass.GOOD;
    private int currentFlags;
    private double lastHfRatio = Double.NaN;
    private double lastBaselineMv = Double.NaN;
    private double lastAgreement = Double.NaN;
    private double lastPeakToPeakMv = Double.NaN;
    private double lastBandNoise = Double.NaN;

    public SignalQualityMonitor(double sampleRateHz, SignalQualityConfig config, QualitySink sink) {
        this.sampleRateHz = sampleRateHz;
        this.config = Objects.requireNonNull(config, "config");
        this.sink = Objects.requireNonNull(sink, "sink");
        this.second = new TwoAverageDetector(sampleRateHz, (r, a) -> addBeat(secondBeats, secondCount++, r));
        BiquadCascade notches = BiquadCascade.concat(EcgFilters.powerLineNotch(sampleRateHz, 50),
                EcgFilters.powerLineNotch(sampleRateHz, 60));
        this.highFrequency = BiquadCascade.concat(notches, EcgFilters.highPass(sampleRateHz, 40, 2));
        this.qrsBand = EcgFilters.qrsBandPass(sampleRateHz);
        this.baseline = EcgFilters.lowPass(sampleRateHz, 1, 2);
        this.window = Math.max(1, (int) Math.round(config.windowSeconds() * sampleRateHz));
        this.delay = (int) Math.round(config.decisionDelaySeconds() * sampleRateHz);
        this.clipRun = Math.max(2, (int) Math.round(config.clipRunSeconds() * sampleRateHz));
        this.agreement = Math.round(config.agreementSeconds() * sampleRateHz);
        this.match = Math.round(config.matchSeconds() * sampleRateHz);
        this.qrsHalf = (int) Math.round(QRS_HALF_SECONDS * sampleRateHz);
        this.peakHalf = (int) Math.round(PEAK_HALF_SECONDS * sampleRateHz);
        int keep = window + delay + 2 * qrsHalf + 2;
        this.energyHistory = (Integer.highestOneBit(keep - 1) << 1) - 1;
        this.energyMask = (Integer.highestOneBit(energyHistory + CHUNK) << 1) - 1;
        this.bandEnergy = new double[energyMask + 1];
        java.util.List<Biquad> hf = highFrequency.sections();
        this.notchesInLoop = hf.size() == 5;
        java.util.List<Biquad> loop = new java.util.ArrayList<>();
        loop.addAll(notchesInLoop ? hf : java.util.List.of(hf.get(0), hf.get(0), hf.get(0), hf.get(0), hf.get(0)));
        loop.addAll(qrsBand.sections());
        loop.addAll(baseline.sections());
        loop.addAll(second.band().sections());
        for (int k = 0; k < SECTIONS; k++) {
            Biquad b = loop.get(k);
            boolean shape = k < 4 ? b.isNotchShape() || !notchesInLoop
                    : k == 4 || k == 5 || k == 8 ? b.hasHighPassNumerator() || (k == 4 && !notchesInLoop)
                    : b.hasLowPassNumerator();
            if (loop.size() != SECTIONS || !shape) {
                throw new IllegalStateException("signal quality filters do not have the expected sections");
            }
            coefficients[3 * k] = b.b0();
            coefficients[3 * k + 1] = b.a1();
            coefficients[3 * k + 2] = b.a2();
            gains[k] = b.dcGain();
        }
        this.railsKnown = !Double.isNaN(config.adcLowMv());
        this.railTolerance = railsKnown ? (config.adcHighMv() - config.adcLowMv()) * 1e-3 : 0;
        reset();
    }

    /** Forgets everything, as after construction; the next sample is index 0. */
    public void reset() {
        second.reset();
        highFrequency.reset();
        qrsBand.reset();
        baseline.reset();
        n = 0;
        primaryCount = 0;
        secondCount = 0;
        judging = false;
        beatPeakEnergy = 0;
        current = QualityClass.GOOD;
        currentFlags = 0;
        startWindow(0);
    }

    private void startWindow(long start) {
        windowStart = start;
        min = Double.POSITIVE_INFINITY;
        max = Double.NEGATIVE_INFINITY;
        baseMin = Double.POSITIVE_INFINITY;
        baseMax = Double.NEGATIVE_INFINITY;
        hfPower = 0;
        qrsPower = 0;
        runLength = 0;
        longestRun = 0;
        railed = 0;
        leadOffSeen = leadOff;
    }

    /**
     * Sets or clears the driver's lead-off indication (e.g. the ADS1292R's lead-off comparators); a window during
     * which it was set is judged {@link QualityFlags#LEAD_OFF}.
     */
    public void setLeadOff(boolean off) {
        leadOff = off;
        leadOffSeen |= off;
    }

    /** A beat of the main detector at sample {@code sample} (this monitor's count), in increasing order. */
    public void onPrimaryBeat(long sample) {
        addBeat(primaryBeats, primaryCount++, sample);
        long from = Math.max(Math.max(0, sample - peakHalf), n - energyHistory);
        long to = Math.min(sample + peakHalf, n - 1);
        double peak = 0;
        for (long k = from; k <= to; k++) {
            peak = Math.max(peak, bandEnergy[(int) (k & energyMask)]);
        }
        beatPeakEnergy = beatPeakEnergy == 0 ? peak : beatPeakEnergy + (peak - beatPeakEnergy) / 8;
    }

    private static void addBeat(long[] ring, long index, long sample) {
        ring[(int) (index & (BEAT_RING - 1))] = sample;
    }

    /** Feeds one sample (mV); may judge a window and tell the sink before it returns. */
    public void process(double x) {
        single[0] = x;
        process(single, 0, 1);
    }

    /**
     * Feeds {@code len} samples of {@code x} from {@code offset}; may judge windows and tell the sink before it
     * returns. The same as feeding them one by one.
     */
    public void process(double[] x, int offset, int len) {
        for (int from = offset, end = offset + len; from < end; ) {
            int count = Math.min(CHUNK, end - from);
            filter(x, from, count);
            for (int j = 0; j < count; j++) {
                step(x[from + j], chunkHf[j], chunkQrs[j], chunkBase[j], chunkSecond[j]);
            }
            from += count;
        }
    }

    /**
     * Runs the monitor's filters over {@code count} samples into the chunk arrays, in one loop so that the recursions
     * of the sections overlap, each in direct form I with three multiplications (the numerators of a notch, a
     * high-pass and a low-pass are symmetric).
     */
    private void filter(double[] x, int offset, int count) {
        final double[] c = coefficients;
        final double[] st = filterState;
        if (n == 0) {
            double x0 = x[offset];
            st[0] = x0;
            st[1] = x0;
            double in = x0;
            for (int k = 0; k < SECTIONS; k++) {
                // the chains: notches and high-pass; QRS band; baseline; second band
                if (k == 5 || k == 7 || k == 8) {
                    in = x0;
                }
                double y = gains[k] * in;
                st[2 + 2 * k] = y;
                st[3 + 2 * k] = y;
                in = y;
            }
            highFrequency.reset(x0);
        }
        double x1 = st[0], x2 = st[1];
        double n1a = st[2], n1b = st[3], n2a = st[4], n2b = st[5], n3a = st[6], n3b = st[7], n4a = st[8], n4b = st[9];
        double ha = st[10], hb = st[11], pa = st[12], pb = st[13], qa = st[14], qb = st[15], la = st[16], lb = st[17];
        double sa = st[18], sb = st[19], ta = st[20], tb = st[21];
        final boolean notches = notchesInLoop;
        final double[] outHf = chunkHf, outQrs = chunkQrs, outBase = chunkBase, outSecond = chunkSecond;
        for (int j = 0; j < count; j++) {
            double v = x[offset + j];
            double d2 = (v - x1) - (x1 - x2);
            double h;
            if (notches) {
                // power-line notches (y = b0 (x + x2) + a1 (x1 - y1) - a2 y2), then the 40 Hz high-pass
                double n1 = c[0] * (v + x2) + c[1] * (x1 - n1a) - c[2] * n1b;
                double n2 = c[3] * (n1 + n1b) + c[4] * (n1a - n2a) - c[5] * n2b;
                double n3 = c[6] * (n2 + n2b) + c[7] * (n2a - n3a) - c[8] * n3b;
                double n4 = c[9] * (n3 + n3b) + c[10] * (n3a - n4a) - c[11] * n4b;
                h = c[12] * ((n4 - n4a) - (n4a - n4b)) - c[14] * hb - c[13] * ha;
                n1b = n1a; n1a = n1; n2b = n2a; n2a = n2; n3b = n3a; n3a = n3; n4b = n4a; n4a = n4;
                hb = ha; ha = h;
            } else {
                h = highFrequency.process(v);
            }
            // QRS band 5-15 Hz
            double p = c[15] * d2 - c[17] * pb - c[16] * pa;
            double q = c[18] * ((p + pa) + (pa + pb)) - c[20] * qb - c[19] * qa;
            // baseline below 1 Hz
            double l = c[21] * ((v + x1) + (x1 + x2)) - c[23] * lb - c[22] * la;
            // the second detector's 8-20 Hz band
            double s = c[24] * d2 - c[26] * sb - c[25] * sa;
            double t = c[27] * ((s + sa) + (sa + sb)) - c[29] * tb - c[28] * ta;
            x2 = x1; x1 = v; pb = pa; pa = p; qb = qa; qa = q; lb = la; la = l; sb = sa; sa = s; tb = ta; ta = t;
            outHf[j] = h;
            outQrs[j] = q;
            outBase[j] = l;
            outSecond[j] = t;
        }
        st[0] = x1; st[1] = x2;
        st[2] = n1a; st[3] = n1b; st[4] = n2a; st[5] = n2b; st[6] = n3a; st[7] = n3b; st[8] = n4a; st[9] = n4b;
        st[10] = ha; st[11] = hb; st[12] = pa; st[13] = pb; st[14] = qa; st[15] = qb; st[16] = la; st[17] = lb;
        st[18] = sa; st[19] = sb; st[20] = ta; st[21] = tb;
    }

    private void step(double x, double h, double q, double b, double banded) {
        second.step(banded);
        hfPower += h * h;
        qrsPower += q * q;
        bandEnergy[(int) (n & energyMask)] = q * q;
        if (x < min) {
            min = x;
        }
        if (x > max) {
            max = x;
        }
        if (b < baseMin) {
            baseMin = b;
        }
        if (b > baseMax) {
            baseMax = b;
        }
        if (runLength > 0 && x == runValue) {
            runLength++;
        } else {
            runValue = x;
            runLength = 1;
        }
        if (runLength > longestRun) {
            longestRun = runLength;
            longestValue = runValue;
        }
        if (railsKnown && (x >= config.adcHighMv() - railTolerance || x <= config.adcLowMv() + railTolerance)) {
            railed++;
        }
        long k = n++;
        if (judging && k == judgeEnd + delay) {
            judge();
        }
        if (k - windowStart + 1 == window) {
            closeWindow(k);
            startWindow(k + 1);
        }
    }

    /** Ends the input: judges the window waiting for its delay and a last partial window of at least half length. */
    public void finish() {
        judgeWaiting();
        judgePartial();
    }

    /** Judges at once the window waiting for its decision delay, if any (first half of {@link #finish()}). */
    public void judgeWaiting() {
        if (judging) {
            judge();
        }
    }

    /**
     * Judges the window in progress if it holds at least half a window of samples (second half of {@link #finish()});
     * call {@link #judgeWaiting()} first.
     */
    public void judgePartial() {
        long last = n - 1;
        if (last >= windowStart && last - windowStart + 1 >= Math.max(1, window / 2)) {
            closeWindow(last);
            judge();
            startWindow(n);
        }
    }

    private void closeWindow(long end) {
        int length = (int) (end - windowStart + 1);
        int flags = 0;
        QualityClass q = QualityClass.GOOD;
        double peakToPeak = max - min;
        if (peakToPeak < config.flatMv()) {
            flags |= QualityFlags.FLAT;
        }
        boolean runAtExtreme = longestRun >= clipRun && (longestValue == max || longestValue == min)
                && peakToPeak >= config.flatMv();
        if (runAtExtreme || railed >= clipRun) {
            flags |= QualityFlags.CLIPPED;
        }
        if (leadOffSeen || 2 * railed >= length || (2 * longestRun >= length && (longestValue == max
                || longestValue == min))) {
            flags |= QualityFlags.LEAD_OFF;
        }
        if (flags != 0) {
            q = QualityClass.UNUSABLE;
        }
        double hfRatio = hfPower / Math.max(qrsPower, 1e-12);
        if (peakToPeak >= config.flatMv()) {
            if (hfRatio >= config.hfFairRatio()) {
                flags |= QualityFlags.HIGH_FREQUENCY_NOISE;
                q = q.worst(hfRatio >= config.hfBadRatio() ? QualityClass.UNUSABLE : QualityClass.ACCEPTABLE);
            }
        }
        double wander = baseMax - baseMin;
        if (wander >= config.baselineFairMv()) {
            flags |= QualityFlags.BASELINE_WANDER;
            q = q.worst(wander >= config.baselineBadMv() ? QualityClass.UNUSABLE : QualityClass.ACCEPTABLE);
        }
        lastHfRatio = hfRatio;
        lastBaselineMv = wander;
        lastPeakToPeakMv = peakToPeak;
        judging = true;
        judgeStart = windowStart;
        judgeEnd = end;
        judgeFlags = flags;
        judgeClass = q;
    }

    private void judge() {
        judging = false;
        QualityClass q = judgeClass;
        int flags = judgeFlags;
        double bsqi = agreement(judgeEnd + 1);
        lastAgreement = bsqi;
        double bandNoise = bandNoise(judgeStart, judgeEnd);
        lastBandNoise = bandNoise;
        if (!Double.isNaN(bandNoise) && bandNoise >= config.bandNoiseFair()) {
            flags |= QualityFlags.QRS_BAND_NOISE;
            q = q.worst(bandNoise >= config.bandNoiseBad() ? QualityClass.UNUSABLE : QualityClass.ACCEPTABLE);
        }
        if (!Double.isNaN(bsqi) && bsqi < config.agreementGood()) {
            flags |= QualityFlags.DETECTOR_DISAGREEMENT;
            q = q.worst(bsqi < config.agreementBad() ? QualityClass.UNUSABLE : QualityClass.ACCEPTABLE);
        }
        current = q;
        currentFlags = flags;
        sink.onWindow(judgeStart, judgeEnd, q, flags);
    }

    /**
     * Mean QRS-band energy of the samples of {@code [start, end]} farther than 100 ms from any beat of the main
     * detector, over the running mean of the beats' peak QRS-band energy; NaN without beats or such samples.
     */
    private double bandNoise(long start, long end) {
        if (beatPeakEnergy <= 0) {
            return Double.NaN;
        }
        long from = Math.max(start, n - energyHistory);
        double sum = 0;
        int count = 0;
        long p = firstAtOrAfter(primaryBeats, primaryCount, from - qrsHalf);
        long k = from;
        while (k <= end) {
            while (p < primaryCount && primaryBeats[(int) (p & (BEAT_RING - 1))] + qrsHalf < k) {
                p++;
            }
            long beat = p < primaryCount ? primaryBeats[(int) (p & (BEAT_RING - 1))] : Long.MAX_VALUE;
            if (beat != Long.MAX_VALUE && beat - qrsHalf <= k) {
                k = beat + qrsHalf + 1; // inside a beat's QRS: skip it
                continue;
            }
            long stop = beat == Long.MAX_VALUE ? end : Math.min(end, beat - qrsHalf - 1);
            for (; k <= stop; k++) {
                sum += bandEnergy[(int) (k & energyMask)];
                count++;
            }
        }
        return count == 0 ? Double.NaN : sum / count / beatPeakEnergy;
    }

    /** bSQI over the beats in {@code [end - agreement, end)}, or NaN with too few beats. */
    private double agreement(long end) {
        long from = end - agreement;
        // only the beats of the span and just before it are looked at, newest first back to the span's start
        long firstPrimary = firstAtOrAfter(primaryBeats, primaryCount, from - match);
        long firstSecond = firstAtOrAfter(secondBeats, secondCount, from - match);
        int primaryIn = 0;
        int matched = 0;
        long s = firstSecond;
        for (long p = firstPrimary; p < primaryCount; p++) {
            long beat = primaryBeats[(int) (p & (BEAT_RING - 1))];
            if (beat < from || beat >= end) {
                continue;
            }
            primaryIn++;
            while (s < secondCount && secondBeats[(int) (s & (BEAT_RING - 1))] < beat - match) {
                s++;
            }
            if (s < secondCount && secondBeats[(int) (s & (BEAT_RING - 1))] <= beat + match) {
                matched++;
                s++;
            }
        }
        int secondIn = 0;
        for (long t = firstSecond; t < secondCount; t++) {
            long beat = secondBeats[(int) (t & (BEAT_RING - 1))];
            if (beat >= from && beat < end) {
                secondIn++;
            }
        }
        // a matched second beat may lie just outside the span: count each pair once
        int either = primaryIn + Math.max(0, secondIn - matched);
        if (primaryIn + secondIn < config.minAgreementBeats() || either <= 0) {
            return Double.NaN;
        }
        return (double) matched / either;
    }

    /**
     * Index of the oldest beat kept in {@code ring} (of {@code count} beats so far) from which on all are at or after
     * {@code sample}, searching back from the newest; beats are in increasing order.
     */
    private static long firstAtOrAfter(long[] ring, long count, long sample) {
        long oldest = Math.max(0, count - BEAT_RING);
        long i = count;
        while (i > oldest && ring[(int) ((i - 1) & (BEAT_RING - 1))] >= sample) {
            i--;
        }
        return i;
    }

    /** The class of the last judged window (GOOD before the first). */
    public QualityClass current() {
        return current;
    }

    /** The flags of the last judged window. */
    public int currentFlags() {
        return currentFlags;
    }

    /** Power above 40 Hz over power in the QRS band, of the last closed window (diagnostics and tuning). */
    public double lastHighFrequencyRatio() {
        return lastHfRatio;
    }

    /** Excursion below 1 Hz in mV of the last closed window. */
    public double lastBaselineExcursionMv() {
        return lastBaselineMv;
    }

    /** Peak-to-peak in mV of the last closed window. */
    public double lastPeakToPeakMv() {
        return lastPeakToPeakMv;
    }

    /** QRS-band energy between beats over the beats' peak energy, of the last judged window, or NaN. */
    public double lastBandNoise() {
        return lastBandNoise;
    }

    /** bSQI of the last judged window, or NaN when too few beats. */
    public double lastAgreement() {
        return lastAgreement;
    }

    /** Samples per window. */
    public int windowSamples() {
        return window;
    }

    /** Samples from a window's end to its judgement. */
    public int decisionDelaySamples() {
        return delay;
    }

    public double sampleRateHz() {
        return sampleRateHz;
    }

    public SignalQualityConfig config() {
        return config;
    }

    /** Beats found so far by the second detector, for diagnostics. */
    public long secondDetectorBeats() {
        return secondCount;
    }
}
