package org.cardiogate.dsp.quality;

import java.util.Objects;
import org.cardiogate.dsp.filter.BiquadCascade;
import org.cardiogate.dsp.filter.EcgFilters;
import org.cardiogate.dsp.qrs.BeatSink;

/**
 * A second QRS detector, deliberately unlike {@link org.cardiogate.dsp.qrs.QrsDetector}, used only to judge signal
 * quality by agreement (bSQI, Li, Mark and Clifford 2008). After Elgendi (2013, "Fast QRS detection with an optimized
 * knowledge-based method"): an 8-20 Hz band-pass, squaring, and two moving averages of the energy, one about a QRS
 * long (97 ms) and one about a beat long (611 ms), aligned on their centres. Where the short average exceeds the long
 * one plus 8 % of the mean energy is a block of interest; a block at least 97 ms wide is a QRS, placed on the
 * largest band-passed deflection in it. Added here: a block within 360 ms of a beat whose largest deflection is
 * under 40 % of the beat's is a T wave. No adaptive signal and noise levels, no search-back, no T-wave rule: noise
 * the main detector rides out makes this one disagree.
 *
 * <p>The mean energy is a running mean, over all samples for the first 10 s, then exponential with a 10 s time
 * constant. Beats are reported at most {@link #reportDelaySeconds()} after their fiducial (about 0.4 s) plus the
 * length of a block beyond a QRS, in increasing order. Allocation-free after construction. Not thread-safe.
 */
public final class TwoAverageDetector {
    private static final double QRS_SECONDS = 0.097;
    private static final double BEAT_SECONDS = 0.611;
    private static final double OFFSET = 0.08;
    private static final double MEAN_SECONDS = 10;
    private static final double T_WAVE_SECONDS = 0.36;
    private static final double T_WAVE_RATIO = 0.4;

    private final double sampleRateHz;
    private final BeatSink sink;
    private final BiquadCascade band;
    private final int qrs;
    private final int beat;
    private final int align;
    private final int bandDelay;
    private final long meanSpan;
    private final double inverseQrs;
    private final double inverseBeat;
    private final double inverseMeanSpan;
    private final long tWave;
    private final int mask;
    private final double[] energy;
    private final double[] deflection;
    private final double[] shortAverage;

    private long n;
    private double shortSum;
    private double longSum;
    private double mean;
    private boolean inBlock;
    private long blockStart;
    private long lastBeat;
    private double lastTop;
    private long beats;

    public TwoAverageDetector(double sampleRateHz, BeatSink sink) {
        if (!(sampleRateHz >= 100 && sampleRateHz <= 10_000)) {
            throw new IllegalArgumentException("two-average detector sample rate must be between 100 Hz and 10 kHz,"
                    + " got " + sampleRateHz + " Hz");
        }
        this.sampleRateHz = sampleRateHz;
        this.sink = Objects.requireNonNull(sink, "sink");
        this.band = EcgFilters.bandPass(sampleRateHz, 8, 20, 2);
        this.qrs = Math.max(2, (int) Math.round(QRS_SECONDS * sampleRateHz));
        this.beat = Math.max(qrs + 2, (int) Math.round(BEAT_SECONDS * sampleRateHz));
        this.align = (beat - qrs) / 2;
        this.bandDelay = (int) Math.round(band.groupDelaySamplesAt(12));
        this.meanSpan = Math.round(MEAN_SECONDS * sampleRateHz);
        this.inverseQrs = 1.0 / qrs;
        this.inverseBeat = 1.0 / beat;
        this.inverseMeanSpan = 1.0 / meanSpan;
        this.tWave = Math.round(T_WAVE_SECONDS * sampleRateHz);
        int size = Integer.highestOneBit(2 * beat - 1) << 1;
        this.mask = size - 1;
        this.energy = new double[size];
        this.deflection = new double[size];
        this.shortAverage = new double[size];
        reset();
    }

    /** Forgets everything; the next sample is index 0. */
    public void reset() {
        band.reset();
        n = 0;
        shortSum = 0;
        longSum = 0;
        mean = 0;
        inBlock = false;
        lastBeat = Long.MIN_VALUE;
        java.util.Arrays.fill(energy, 0);
        java.util.Arrays.fill(deflection, 0);
        java.util.Arrays.fill(shortAverage, 0);
    }

    /** Feeds one sample (mV); may report a beat to the sink before it returns. */
    public void process(double x) {
        if (n == 0) {
            band.reset(x);
        }
        step(band.process(x));
    }

    /** The 8-20 Hz band-pass, for a caller that runs it itself and gives its output to {@link #step(double)}. */
    BiquadCascade band() {
        return band;
    }

    /** Feeds one sample already band-passed by {@link #band()} (started at the first sample's steady state). */
    void step(double b) {
        double e = b * b;
        int i = (int) (n & mask);
        shortSum += e - energy[(int) ((n - qrs) & mask)];
        longSum += e - energy[(int) ((n - beat) & mask)];
        energy[i] = e;
        deflection[i] = Math.abs(b);
        shortAverage[i] = Math.max(0, shortSum) * inverseQrs;
        // a running mean, then exponential; multiplications rather than divisions keep the recursion short
        mean += n < meanSpan ? (e - mean) / (n + 1) : (e - mean) * inverseMeanSpan;
        long k = n++;
        if (k < beat) {
            return;
        }
        // the centre of the long window is (beat - 1) / 2 samples back; the short average centred there was
        // computed align samples ago
        double shortAtCentre = shortAverage[(int) ((k - align) & mask)];
        double threshold = Math.max(0, longSum) * inverseBeat + OFFSET * mean;
        long centre = k - align - (qrs - 1) / 2;
        if (shortAtCentre > threshold) {
            if (!inBlock) {
                inBlock = true;
                blockStart = centre;
            }
        } else if (inBlock) {
            inBlock = false;
            long end = centre - 1;
            if (end - blockStart + 1 >= qrs) {
                onBlock(blockStart, end, k);
            }
        }
    }

    private void onBlock(long start, long end, long now) {
        long from = Math.max(start, now - mask);
        long at = from;
        double top = -1;
        for (long j = from; j <= end; j++) {
            double v = deflection[(int) (j & mask)];
            if (v > top) {
                top = v;
                at = j;
            }
        }
        long r = Math.max(0, at - bandDelay);
        if (lastBeat != Long.MIN_VALUE && (r <= lastBeat || (r - lastBeat < tWave && top < T_WAVE_RATIO * lastTop))) {
            return;
        }
        lastBeat = r;
        lastTop = top;
        beats++;
        sink.onBeat(r, top);
    }

    /** How long after its fiducial a beat of a QRS-wide block is reported at most, in seconds. */
    public double reportDelaySeconds() {
        return (beat / 2.0 + qrs + bandDelay) / sampleRateHz;
    }

    public long beatCount() {
        return beats;
    }
}
