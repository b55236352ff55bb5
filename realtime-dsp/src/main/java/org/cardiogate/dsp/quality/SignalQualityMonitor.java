package org.cardiogate.dsp.quality;

import java.util.Objects;
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
 * <p>Allocation-free after construction. Not thread-safe: one instance per lead, fed by one thread.
 */
public final class SignalQualityMonitor {
    private static final int BEAT_RING = 256;
    private static final double QRS_HALF_SECONDS = 0.1;
    private static final double PEAK_HALF_SECONDS = 0.05;

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
    private final double[] bandEnergy;
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
        this.energyMask = (Integer.highestOneBit(keep - 1) << 1) - 1;
        this.bandEnergy = new double[energyMask + 1];
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
        long from = Math.max(Math.max(0, sample - peakHalf), n - energyMask);
        long to = Math.min(sample + peakHalf, n - 1);
        double peak = 0;
        for (long k = from; k <= to; k++) {
            peak = Math.max(peak, bandEnergy[(int) (k & energyMask)]);
        }
        beatPeakEnergy = beatPeakEnergy == 0 ? peak : beatPeakEnergy + (peak - beatPeakEnergy) / 8;
    }

    private static void addBeat(long[] ring, long index, long sample) {
        ring[(int) (index % BEAT_RING)] = sample;
    }

    /** Feeds one sample (mV); may judge a window and tell the sink before it returns. */
    public void process(double x) {
        if (n == 0) {
            qrsBand.reset(x);
            baseline.reset(x);
            highFrequency.reset(x);
        }
        second.process(x);
        double h = highFrequency.process(x);
        double q = qrsBand.process(x);
        double b = baseline.process(x);
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
        long from = Math.max(start, n - energyMask);
        double sum = 0;
        int count = 0;
        long p = Math.max(0, primaryCount - BEAT_RING);
        while (p < primaryCount && primaryBeats[(int) (p % BEAT_RING)] + qrsHalf < from) {
            p++;
        }
        for (long k = from; k <= end; k++) {
            while (p < primaryCount && primaryBeats[(int) (p % BEAT_RING)] + qrsHalf < k) {
                p++;
            }
            if (p < primaryCount && primaryBeats[(int) (p % BEAT_RING)] - qrsHalf <= k) {
                continue;
            }
            sum += bandEnergy[(int) (k & energyMask)];
            count++;
        }
        return count == 0 ? Double.NaN : sum / count / beatPeakEnergy;
    }

    /** bSQI over the beats in {@code [end - agreement, end)}, or NaN with too few beats. */
    private double agreement(long end) {
        long from = end - agreement;
        int primaryIn = 0;
        int matched = 0;
        long firstSecond = Math.max(0, secondCount - BEAT_RING);
        long s = firstSecond;
        for (long p = Math.max(0, primaryCount - BEAT_RING); p < primaryCount; p++) {
            long beat = primaryBeats[(int) (p % BEAT_RING)];
            if (beat < from || beat >= end) {
                continue;
            }
            primaryIn++;
            while (s < secondCount && secondBeats[(int) (s % BEAT_RING)] < beat - match) {
                s++;
            }
            if (s < secondCount && secondBeats[(int) (s % BEAT_RING)] <= beat + match) {
                matched++;
                s++;
            }
        }
        int secondIn = 0;
        for (long t = firstSecond; t < secondCount; t++) {
            long beat = secondBeats[(int) (t % BEAT_RING)];
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
