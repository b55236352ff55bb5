package org.cardiogate.dsp.ppg;

import org.cardiogate.dsp.OrderStatistics;
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
 * such samples is lambda, and a peak is a sample larger than all samples within lambda on each side. The foot (the
 * onset of the upstroke, see below) and the peak are timed in a wider band and refined to a fraction of a sample. Pulses
 * in the last {@link PpgConfig#tailSeconds()} of a window are left to the next one, so a pulse is reported about
 * hop + tail seconds after its peak; nothing depends on how samples are cut into blocks.
 *
 * <p>Physiological constraints. Two systolic peaks closer than 0.4 of the median pulse interval (at least
 * 60 / {@link PpgConfig#maxRateBpm()}) are one pulse, the larger kept: a dicrotic wave or a reflected wave comes
 * 0.2-0.35 s after the systolic peak, a premature beat rarely before 0.5 of the interval. The foot is searched on the
 * upstroke itself: the diastolic minimum is found from the steepest point of the rise (at most
 * {@value #MAX_CREST_SECONDS} s before the peak, the longest crest time in adults) back along the smooth band-passed
 * signal to where it stops falling, so neither a notch on a rounded systolic top nor the lowest point since the
 * previous pulse (which after a baseline step lies in the step) is taken for it. The foot is then the onset of the
 * curvature jump of the wider-band signal, searched from {@value #TANGENT_BEFORE_SECONDS} s before to
 * {@value #TANGENT_AFTER_SECONDS} s after the intersecting-tangents point (tangent at the steepest rise, level of the
 * diastolic minimum): the tangents are robust to noise but time the foot late by a share of the rise, the curvature
 * is exact on a clean pulse but follows noise. A candidate whose systolic "peak" lies on a held (exactly constant)
 * stretch of the raw signal, or whose rise is mostly one sample's jump (a step of the baseline or gain, not an
 * upstroke that takes 60 ms or more), is not a pulse and is not reported.
 *
 * <p>Quality: the Pearson correlation of the pulse (0.1 s before the foot to 0.6 s after) with a running template,
 * halved when the raw signal clipped in the window or the amplitude jumped (motion, contact), zero for a flat signal.
 * Artefact stretches ({@link PulseListener#onArtefact}): from the last clean pulse (quality at least
 * {@value #CLEAN_QUALITY}, no flag) before a low-quality or rejected pulse, a clipped window or a held stretch of at
 * least {@value #HELD_SECONDS} s, to the next clean pulse's foot. A missing pulse alone (a premature beat that
 * ejected too little to be felt) does not make a stretch: the signal there is fine.
 *
 * <p>Allocation-free in {@link #process(SampleBlock)} after construction. Not thread-safe: one DSP thread.
 */
public final class PpgProcessor {
    private static final int HISTORY = 8;
    private static final int TEMPLATE_MIN_PULSES = 3;
    /** Longest foot-to-peak time searched, s: the crest time of adult pulses is 0.1-0.35 s. */
    static final double MAX_CREST_SECONDS = 0.45;
    /** The onset is searched from this long before the intersecting-tangents foot ... */
    private static final double TANGENT_BEFORE_SECONDS = 0.06;
    /** ... to this long after it, s. */
    private static final double TANGENT_AFTER_SECONDS = 0.02;
    /** At the end of the stream a peak needs at least this long of signal after it, s. */
    private static final double END_SECONDS = 0.15;
    /** A raw signal constant for this long is held, not physiological: longer than any upstroke or systolic top. */
    static final double HELD_SECONDS = 0.25;
    /** Refractory period as a share of the median pulse interval. */
    private static final double REFRACTORY_SHARE = 0.4;
    /** A rise of which one sample's jump is more than this share is a step, not an upstroke. */
    private static final double STEP_SHARE = 0.6;
    /** Pulses at least this good (and without flags) are clean: they end an artefact stretch. */
    public static final double CLEAN_QUALITY = 0.5;
    /** An artefact stretch starts at most this long before its first sign when the last clean pulse is older, ns. */
    private static final long LOOKBACK_NANOS = 2_000_000_000L;
    private static final long NONE = Long.MIN_VALUE;

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
    private final int minRefractory;
    private int refractory;
    private final int maxCrest;
    private final int heldMin;
    private final int[] heldFrom;
    private final int[] heldTo;
    private int heldCount;
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
    private long rejected;

    private int artefactFlags;
    private long artefactStart = NONE;
    private long lastCleanPeakNanos = NONE;

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
        this.minRefractory = (int) Math.max(1, Math.round(fs * 60 / config.maxRateBpm()));
        this.refractory = minRefractory;
        this.maxCrest = (int) Math.max(2, Math.round(MAX_CREST_SECONDS * fs));
        this.heldMin = (int) Math.max(3, Math.round(HELD_SECONDS * fs));
        this.heldFrom = new int[window / heldMin + 1];
        this.heldTo = new int[window / heldMin + 1];
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

    /** End of the stream: analyses the last window to its end and closes an open artefact stretch. */
    public void finish() {
        if (ring.end() - ring.start() > 2 * maxScale) {
            analyse(true);
        }
        closeArtefact(ring.newestTime());
    }

    private void restart() {
        closeArtefact(committedThroughNanos);
        sinceRun = 0;
        committedUpTo = ring.start();
        lastPeakPosition = Long.MIN_VALUE;
        lastPeakNanos = Long.MIN_VALUE;
        lastCleanPeakNanos = NONE;
        intervalCount = 0;
        refractory = minRefractory;
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
        findHeld(n);
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
        if (intervalCount >= 3) {
            double ibi = OrderStatistics.median(intervals, Math.min(intervalCount, HISTORY), sortBuf);
            refractory = (int) Math.max(minRefractory, Math.round(REFRACTORY_SHARE * ibi * fs));
        }
        int count = msptdPeaks(n, last);
        long commitEnd = last ? end : end - tail;
        long commitFrom = Math.max(committedUpTo, start);
        if (clipped) {
            markArtefact(PpgPulse.CLIPPED, ring.time(commitFrom));
        }
        int h = 0;
        for (int j = 0; j < count; j++) {
            int i = peaks[j];
            long pos = start + i;
            if (pos < commitFrom || pos >= commitEnd) {
                continue;
            }
            h = markHeld(h, start, commitFrom, commitEnd, i);
            if (lastPeakPosition != Long.MIN_VALUE && pos - lastPeakPosition < refractory) {
                continue;
            }
            int prev = j > 0 ? peaks[j - 1] : -1;
            measure(start, n, i, prev, dc, dcRed, clipped);
        }
        markHeld(h, start, commitFrom, commitEnd, n);
        committedUpTo = Math.max(committedUpTo, commitEnd);
        committedThroughNanos = ring.time(commitEnd - 1);
    }

    /** Runs of exactly equal raw samples of at least {@link #heldMin} in raw[0..n) into heldFrom/heldTo (inclusive). */
    private void findHeld(int n) {
        heldCount = 0;
        int runStart = 0;
        for (int i = 1; i <= n; i++) {
            if (i == n || raw[i] != raw[i - 1]) {
                if (i - runStart >= heldMin && heldCount < heldFrom.length) {
                    heldFrom[heldCount] = runStart;
                    heldTo[heldCount] = i - 1;
                    heldCount++;
                }
                runStart = i;
            }
        }
    }

    /**
     * Marks the held runs from index {@code h} that start before window index {@code before} and reach into the
     * committed part; returns the index of the first run not yet passed.
     */
    private int markHeld(int h, long start, long commitFrom, long commitEnd, int before) {
        while (h < heldCount && heldFrom[h] < before) {
            long a = start + heldFrom[h];
            long b = start + heldTo[h];
            if (b >= commitFrom && a < commitEnd) {
                markArtefact(PpgPulse.HELD, ring.time(Math.max(a, commitFrom)));
            }
            h++;
        }
        return h;
    }

    private boolean inHeld(int i) {
        for (int k = 0; k < heldCount; k++) {
            if (i >= heldFrom[k] && i <= heldTo[k]) {
                return true;
            }
        }
        return false;
    }

    private void markArtefact(int flags, long atNanos) {
        if (artefactFlags == 0) {
            long from = lastCleanPeakNanos == NONE ? atNanos : Math.max(lastCleanPeakNanos, atNanos - LOOKBACK_NANOS);
            artefactStart = Math.min(from, atNanos);
        }
        artefactFlags |= flags;
    }

    private void closeArtefact(long endNanos) {
        if (artefactFlags != 0) {
            int flags = artefactFlags;
            artefactFlags = 0;
            listener.onArtefact(artefactStart, Math.max(artefactStart, endNanos), flags);
        }
    }

    /**
     * MSPTD peaks of x[0..n) into {@link #peaks}; returns how many. At the end of the stream ({@code last}) a peak
     * closer than lambda to the end needs only the samples there are after it, at least {@value #END_SECONDS} s of them.
     */
    private int msptdPeaks(int n, boolean last) {
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
        int stop = last ? n - Math.min(lambda, (int) Math.max(1, Math.round(END_SECONDS * fs))) : n - lambda;
        for (int i = lambda; i < stop; i++) {
            double v = x[i];
            boolean peak = true;
            for (int k = 1; k <= lambda && peak; k++) {
                peak = v > x[i - k] && (i + k >= n || v > x[i + k]);
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
        int from = Math.max(Math.max(prevPeak + 1, i - maxCrest), 1);
        int rise = i;
        double riseSlope = Double.NEGATIVE_INFINITY;
        for (int k = from; k < i; k++) {
            double s = x[k + 1] - x[k - 1];
            if (s > riseSlope) {
                riseSlope = s;
                rise = k;
            }
        }
        int trough = rise;
        while (trough > from && x[trough - 1] < x[trough]) {
            trough--;
        }
        if (trough < 1 || trough == i) {
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
        // intersecting tangents on the smooth signal (tangent at the steepest rise, level of the diastolic minimum):
        // robust to noise, but later than the onset by a share of the rise time; the onset is searched close before it
        double tangent = rise - (x[rise] - x[trough]) / (0.5 * riseSlope);
        tangent = Math.max(trough, Math.min(rise, tangent));
        int footFrom = Math.max(1, Math.max(wTrough - (int) Math.round(0.08 * fs),
                (int) Math.floor(tangent - TANGENT_BEFORE_SECONDS * fs)));
        int footTo = Math.min(steepest, (int) Math.ceil(tangent + TANGENT_AFTER_SECONDS * fs));
        int foot = -1;
        double curv = Double.NEGATIVE_INFINITY;
        for (int k = footFrom; k <= footTo && k < n - 1; k++) {
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
        if (isArtefactRise(foot, peakW)) {
            rejected++;
            markArtefact(inHeld(peakW) ? PpgPulse.HELD : PpgPulse.MOTION, Math.round(ring.timeAt(start + footPos)));
            return;
        }
        long peakAbs = start + i;
        long footNanos = Math.round(ring.timeAt(start + footPos));
        long peakNanos = Math.round(ring.timeAt(start + peakPos));

        double amp = x[i] - x[trough];
        boolean flat = !(amp > 0);
        boolean motion = false;
        if (amplitudeCount >= 3) {
            double med = OrderStatistics.median(amplitudes, Math.min(amplitudeCount, HISTORY), sortBuf);
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

        double rate = intervalCount == 0 ? Double.NaN
                : 60 / OrderStatistics.median(intervals, Math.min(intervalCount, HISTORY), sortBuf);
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
                ratio = OrderStatistics.median(ratios, Math.min(ratioCount, HISTORY), sortBuf);
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
        if (q >= CLEAN_QUALITY && flags == 0) {
            closeArtefact(footNanos);
            lastCleanPeakNanos = peakNanos;
        } else {
            markArtefact(flags == 0 ? PpgPulse.MOTION : flags, footNanos);
        }
    }

    /**
     * Whether the rise from {@code foot} to {@code peak} (window indices) is not an upstroke: its top lies on a held
     * stretch of the raw signal, or one sample's jump makes most of it (a step of the baseline or the gain).
     */
    private boolean isArtefactRise(int foot, int peak) {
        if (inHeld(peak)) {
            return true;
        }
        double rise = raw[peak] - raw[foot];
        if (!(rise > 0)) {
            return false;
        }
        double jump = 0;
        for (int k = foot + 1; k <= peak; k++) {
            jump = Math.max(jump, raw[k] - raw[k - 1]);
        }
        return jump > STEP_SHARE * rise;
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

    /** Candidate pulses not reported because their rise was a step or their top a held signal. */
    public long rejectedCount() {
        return rejected;
    }
}
