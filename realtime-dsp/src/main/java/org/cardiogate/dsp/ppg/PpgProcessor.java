package org.cardiogate.dsp.ppg;

import java.util.Objects;
import org.cardiogate.dsp.filter.EcgFilters;
import org.cardiogate.dsp.fusion.window.Peaks;
import org.cardiogate.dsp.fusion.window.TimedRing;
import org.cardiogate.dsp.fusion.window.ZeroPhaseFilter;
import org.cardiogate.signal.SampleBlock;
import org.cardiogate.signal.StreamDescriptor;

/**
 * Pulse detection in one PPG stream: pulse foot and systolic peak times, pulse rate, perfusion index, SpO2 from the
 * red/IR ratio of ratios, and a quality index per pulse.
 *
 * <p>Method. Every {@link PpgConfig#hopSeconds()} of new samples, the last {@link PpgConfig#windowSeconds()} are
 * band-passed forward and backward (zero phase, so the fiducial times are not delayed) and systolic peaks are found
 * by the multi-scale local-maximum method of MSPTD (Bishop and Ercole 2018, after AMPD): for every scale k up to half
 * the slowest pulse period, count the samples larger than both neighbours k samples away; the scale with the most
 * such samples is lambda, and a peak is a sample larger than all samples within lambda on each side. The foot of a
 * pulse is the largest second derivative of the wider-band signal between the diastolic minimum before the peak and
 * the upstroke's steepest point (the onset where the curvature jumps), both refined to a fraction of a sample. Pulses
 * in the last {@link PpgConfig#tailSeconds()} of a window are left to the next one, so a pulse is reported about
 * hop + tail seconds after its peak; nothing depends on how samples are cut into blocks.
 *
 * <p>Quality: the Pearson correlation of the pulse (0.1 s before the foot to 0.6 s after) with a running template,
 * halved when the raw signal clipped in the window or the amplitude jumped (motion, contact), zero for a flat signal.
 *
 * <p>Allocation-free in {@link #process(SampleBlock)} after construction. Not thread-safe: one DSP thread.
 */
public final class PpgProcessor {
    private static final int HISTORY = 8;
    private static final int TEMPLATE_MIN_PULSES = 3;

    private final StreamDescriptor stream;
    private final PpgConfig config;
    private final PulseListener listener;
    private final boolean hasRed;
    private final double fs;
    private final TimedRing ring;
    private final ZeroPhaseFilter band;
    private final ZeroPhaseFilter wide;
    private final int window;
    private final int hop;
    private final int tail;
    private final int maxScale;
    private final int refractory;
    private final double[] raw;
    private final double[] rawRed;
    private final double[] x;
    private final double[] xr;
    private final double[] w;
    private final int[] peaks;
    private final int templateLen;
    private final int templateLead;
    private final double[] template;
    private final double[] segment;
    private int templateCount;
    private final double[] intervals = new double[HISTORY];
    private final double[] amplitudes = new double[HISTORY];
    private final double[] ratios = new double[HISTORY];
    private final double[] sortBuf = new double[HISTORY];
    private int intervalCount;
    private int amplitudeCount;
    private int ratioCount;
    private final PpgPulse pulse = new PpgPulse();

    private long sinceRun;
    private long committedUpTo;
    private long committedThroughNanos = Long.MIN_VALUE;
    private long lastPeakPosition = Long.MIN_VALUE;
    private long lastPeakNanos = Long.MIN_VALUE;
    private long pulses;

    /**
     * @param stream     the PPG stream; its nominal rate is used for all durations
     * @param irChannel  the primary channel (infrared, or the only one), blood-volume orientation (upstroke up)
     * @param redChannel the red channel for SpO2, or -1
     */
    public PpgProcessor(StreamDescriptor stream, int irChannel, int redChannel, PpgConfig config,
                        PulseListener listener) {
        this.stream = Objects.requireNonNull(stream, "stream");
        this.config = Objects.requireNonNull(config, "config");
        this.listener = Objects.requireNonNull(listener, "listener");
        checkChannel(irChannel, "irChannel");
        this.hasRed = redChannel >= 0;
        if (hasRed) {
            checkChannel(redChannel, "redChannel");
        }
        this.fs = stream.nominalRateHz();
        if (config.highHz() >= 0.45 * fs) {
            throw new IllegalArgumentException("PPG band-pass upper edge " + config.highHz() + " Hz is too close to"
                    + " the Nyquist frequency of stream '" + stream.streamId() + "' (" + fs + " Hz)");
        }
        this.window = (int) Math.round(config.windowSeconds() * fs);
        this.hop = (int) Math.max(1, Math.round(config.hopSeconds() * fs));
        this.tail = (int) Math.round(config.tailSeconds() * fs);
        this.maxScale = (int) Math.max(2, Math.round(fs * 60 / config.minRateBpm() / 2));
        this.refractory = (int) Math.max(1, Math.round(fs * 60 / config.maxRateBpm()));
        this.ring = new TimedRing(hasRed ? new int[] {irChannel, redChannel} : new int[] {irChannel}, 2 * window);
        this.band = new ZeroPhaseFilter(EcgFilters.bandPass(fs, config.lowHz(), config.highHz(), 2));
        double wideHigh = Math.min(config.footHighHz(), 0.4 * fs);
        this.wide = new ZeroPhaseFilter(EcgFilters.bandPass(fs, config.lowHz(), wideHigh, 2));
        this.raw = new double[window];
        this.rawRed = new double[window];
        this.x = new double[window];
        this.xr = new double[window];
        this.w = new double[window];
        this.peaks = new int[window];
        this.templateLead = (int) Math.round(0.1 * fs);
        this.templateLen = templateLead + (int) Math.round(0.6 * fs);
        this.template = new double[templateLen];
        this.segment = new double[templateLen];
    }

    private void checkChannel(int ch, String what) {
        if (ch < 0 || ch >= stream.channelCount()) {
            throw new IllegalArgumentException(what + " " + ch + " is not a channel of stream '" + stream.streamId()
                    + "' (" + stream.channelCount() + " channels)");
        }
    }

    public StreamDescriptor stream() {
        return stream;
    }

    /** Takes one block; pulses decided by it are reported before this returns. */
    public void process(SampleBlock block) {
        if (block.length() == 0) {
            return;
        }
        if (ring.append(block)) {
            restart();
        }
        sinceRun += block.length();
        if (sinceRun >= hop && ring.end() - ring.start() >= Math.min(window, 2 * tail + hop + Math.round(fs))) {
            sinceRun = 0;
            analyse(false);
        }
    }

    /** End of the stream: analyses the last window to its end. */
    public void finish() {
        if (ring.end() - ring.start() > 2 * maxScale) {
            analyse(true);
        }
    }

    private void restart() {
        sinceRun = 0;
        committedUpTo = ring.start();
        lastPeakPosition = Long.MIN_VALUE;
        intervalCount = 0;
    }

    private void analyse(boolean last) {
        long end = ring.end();
        long start = Math.max(ring.start(), end - window);
        int n = (int) (end - start);
        ring.copy(0, start, n, raw);
        double dc = 0;
        double rawMax = Double.NEGATIVE_INFINITY;
        double rawMin = Double.POSITIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            dc += raw[i];
            rawMax = Math.max(rawMax, raw[i]);
            rawMin = Math.min(rawMin, raw[i]);
        }
        dc /= n;
        int atRails = 0;
        for (int i = 0; i < n; i++) {
            if (raw[i] == rawMax || raw[i] == rawMin) {
                atRails++;
            }
        }
        boolean clipped = atRails > Math.max(4, n / 50);
        for (int i = 0; i < n; i++) {
            raw[i] -= dc;
        }
        band.apply(raw, x, n);
        wide.apply(raw, w, n);
        double dcRed = 0;
        if (hasRed) {
            ring.copy(1, start, n, rawRed);
            for (int i = 0; i < n; i++) {
                dcRed += rawRed[i];
            }
            dcRed /= n;
            for (int i = 0; i < n; i++) {
                rawRed[i] -= dcRed;
            }
            band.apply(rawRed, xr, n);
        }
        int count = msptdPeaks(n);
        long commitEnd = last ? end : end - tail;
        long commitFrom = Math.max(committedUpTo, start);
        for (int j = 0; j < count; j++) {
            int i = peaks[j];
            long pos = start + i;
            if (pos < commitFrom || pos >= commitEnd) {
                continue;
            }
            if (lastPeakPosition != Long.MIN_VALUE && pos - lastPeakPosition < refractory) {
                continue;
            }
            int prev = j > 0 ? peaks[j - 1] : -1;
            measure(start, n, i, prev, dc, dcRed, clipped);
        }
        committedUpTo = Math.max(committedUpTo, commitEnd);
        committedThroughNanos = ring.time(commitEnd - 1);
    }

    /** MSPTD peaks of x[0..n) into {@link #peaks}; returns how many. */
    private int msptdPeaks(int n) {
        int scales = Math.min(maxScale, n / 2 - 1);
        int lambda = 1;
        int bestCount = -1;
        for (int k = 1; k <= scales; k++) {
            int c = 0;
            for (int i = k; i < n - k; i++) {
                double v = x[i];
                if (v > x[i - k] && v > x[i + k]) {
                    c++;
                }
            }
            if (c > bestCount) {
                bestCount = c;
                lambda = k;
            }
        }
        int count = 0;
        for (int i = lambda; i < n - lambda; i++) {
            double v = x[i];
            boolean peak = true;
            for (int k = 1; k <= lambda && peak; k++) {
                peak = v > x[i - k] && v > x[i + k];
            }
            if (peak) {
                if (count > 0 && i - peaks[count - 1] < refractory) {
                    if (v > x[peaks[count - 1]]) {
                        peaks[count - 1] = i;
                    }
                } else {
                    peaks[count++] = i;
                }
            }
        }
        return count;
    }

    private void measure(long start, int n, int i, int prevPeak, double dc, double dcRed, boolean clipped) {
        int from = Math.max(prevPeak + 1, i - (int) Math.round(0.8 * fs));
        from = Math.max(from, 1);
        int trough = Peaks.argMin(x, from, i);
        if (trough < 1) {
            return;
        }
        int wTrough = Peaks.argMin(w, Math.max(1, trough - (int) Math.round(0.05 * fs)), i);
        int steepest = wTrough;
        double slope = Double.NEGATIVE_INFINITY;
        for (int k = wTrough; k < i && k < n - 1; k++) {
            double s = w[k + 1] - w[k - 1];
            if (s > slope) {
                slope = s;
                steepest = k;
            }
        }
        int footFrom = Math.max(1, wTrough - (int) Math.round(0.08 * fs));
        int foot = -1;
        double curv = Double.NEGATIVE_INFINITY;
        for (int k = footFrom; k <= steepest && k < n - 1; k++) {
            double c = w[k + 1] - 2 * w[k] + w[k - 1];
            if (c > curv) {
                curv = c;
                foot = k;
            }
        }
        if (foot < 2 || foot >= n - 2) {
            return;
        }
        double footPos = curvatureOnset(foot, footFrom);
        int peakW = Peaks.argMax(w, i - (int) Math.round(0.05 * fs), Math.min(n, i + (int) Math.round(0.05 * fs) + 1));
        double peakPos = Peaks.parabolic(w, peakW, n);
        long peakAbs = start + i;
        long footNanos = Math.round(ring.timeAt(start + footPos));
        long peakNanos = Math.round(ring.timeAt(start + peakPos));

        double amp = x[i] - x[trough];
        boolean flat = !(amp > 0);
        boolean motion = false;
        if (amplitudeCount >= 3) {
            double med = median(amplitudes, Math.min(amplitudeCount, HISTORY));
            motion = amp > 3 * med || amp < med / 3;
        }
        if (!motion && !flat) {
            amplitudes[amplitudeCount++ % HISTORY] = amp;
        }
        double corr = templateScore(foot, n, flat || motion);
        int flags = (clipped ? PpgPulse.CLIPPED : 0) | (motion ? PpgPulse.MOTION : 0) | (flat ? PpgPulse.FLAT : 0);
        double q = flat ? 0 : Math.max(0, corr) * (clipped ? 0.5 : 1) * (motion ? 0.5 : 1);

        if (lastPeakNanos != Long.MIN_VALUE && intervalCount >= 0) {
            double ibi = (peakNanos - lastPeakNanos) / 1e9;
            if (ibi > 60 / config.maxRateBpm() && ibi < 60 / config.minRateBpm()) {
                intervals[intervalCount++ % HISTORY] = ibi;
            }
        }
        lastPeakNanos = peakNanos;
        lastPeakPosition = peakAbs;

        double rate = intervalCount == 0 ? Double.NaN : 60 / median(intervals, Math.min(intervalCount, HISTORY));
        double pi = dc > 0 ? 100 * amp / dc : Double.NaN;
        double ratio = Double.NaN;
        double spo2 = Double.NaN;
        if (hasRed && !flat) {
            double ampRed = xr[i] - xr[trough];
            double r = (ampRed / dcRed) / (amp / dc);
            if (Double.isFinite(r) && r > 0 && dc > 0 && dcRed > 0) {
                ratios[ratioCount++ % HISTORY] = r;
            }
            if (ratioCount > 0) {
                ratio = median(ratios, Math.min(ratioCount, HISTORY));
                spo2 = Math.max(0, Math.min(100, config.spo2A() - config.spo2B() * ratio));
            }
        }
        pulse.footNanos = footNanos;
        pulse.peakNanos = peakNanos;
        pulse.amplitude = amp;
        pulse.quality = q;
        pulse.flags = flags;
        pulse.pulseRateBpm = rate;
        pulse.perfusionIndexPercent = pi;
        pulse.ratio = ratio;
        pulse.spo2Percent = spo2;
        pulses++;
        listener.onPulse(pulse);
    }

    /**
     * The onset of the curvature jump whose maximum is at {@code k}: where the second difference, rising towards its
     * maximum, crosses half of it (linear interpolation). The foot is a step in the second derivative; the second
     * difference (a triangle over three samples) and the zero-phase band-pass smooth that step symmetrically, so its
     * half-height lies on the step while the maximum lies up to a sample after it.
     */
    private double curvatureOnset(int k, int from) {
        double peak = w[k + 1] - 2 * w[k] + w[k - 1];
        double half = 0.5 * peak;
        double right = peak;
        for (int j = k - 1; j >= Math.max(1, from); j--) {
            double c = w[j + 1] - 2 * w[j] + w[j - 1];
            if (c <= half) {
                return j + (half - c) / (right - c);
            }
            right = c;
        }
        return k;
    }

    /** Correlation of the pulse at foot with the template, then (for a clean pulse) the template's update. */
    private double templateScore(int foot, int n, boolean suspect) {
        int s0 = foot - templateLead;
        if (s0 < 0 || s0 + templateLen > n) {
            return templateCount >= TEMPLATE_MIN_PULSES ? 0.5 : 1;
        }
        double corr = templateCount >= TEMPLATE_MIN_PULSES ? Peaks.correlation(x, s0, template, 0, templateLen) : 1;
        if (!suspect && (templateCount < TEMPLATE_MIN_PULSES || corr > 0.5)) {
            double mean = 0;
            for (int k = 0; k < templateLen; k++) {
                mean += x[s0 + k];
            }
            mean /= templateLen;
            double ss = 0;
            for (int k = 0; k < templateLen; k++) {
                segment[k] = x[s0 + k] - mean;
                ss += segment[k] * segment[k];
            }
            double norm = ss > 0 ? 1 / Math.sqrt(ss / templateLen) : 0;
            double alpha = 1.0 / Math.min(templateCount + 1, 16);
            for (int k = 0; k < templateLen; k++) {
                template[k] += alpha * (segment[k] * norm - template[k]);
            }
            templateCount++;
        }
        return corr;
    }

    private double median(double[] values, int count) {
        System.arraycopy(values, 0, sortBuf, 0, count);
        for (int a = 1; a < count; a++) {
            double v = sortBuf[a];
            int b = a - 1;
            while (b >= 0 && sortBuf[b] > v) {
                sortBuf[b + 1] = sortBuf[b];
                b--;
            }
            sortBuf[b + 1] = v;
        }
        return count % 2 == 1 ? sortBuf[count / 2] : 0.5 * (sortBuf[count / 2 - 1] + sortBuf[count / 2]);
    }

    /** Time up to which every pulse has been reported (later pulses may still come), ns; MIN_VALUE at first. */
    public long committedThroughNanos() {
        return committedThroughNanos;
    }

    /** Time of the newest sample taken, ns; MIN_VALUE before the first. */
    public long newestNanos() {
        return ring.newestTime();
    }

    /** Pulses reported so far. */
    public long pulseCount() {
        return pulses;
    }
}
