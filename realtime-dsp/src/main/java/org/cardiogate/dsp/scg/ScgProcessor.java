package org.cardiogate.dsp.scg;

import org.cardiogate.dsp.OrderStatistics;
import java.util.Objects;
import org.cardiogate.dsp.filter.BiquadCascade;
import org.cardiogate.dsp.filter.EcgFilters;
import org.cardiogate.dsp.fusion.window.Peaks;
import org.cardiogate.dsp.fusion.window.TimedRing;
import org.cardiogate.dsp.fusion.window.ZeroPhaseFilter;
import org.cardiogate.signal.SampleBlock;
import org.cardiogate.signal.StreamDescriptor;

/**
 * Seismocardiogram analysis of one chest-acceleration axis: aortic opening (AO) and closing (AC) in windows gated by
 * ECG R peaks ({@link #analyse}), and beats found in the SCG alone for when the ECG is lost.
 *
 * <p>Gated analysis: the window around an R peak is band-passed forward and backward (zero phase, so peaks keep their
 * time). AO is searched in R + {@link ScgConfig#aoFromSeconds()}..{@link ScgConfig#aoToSeconds()}, cut to half the
 * RR interval before the beat (the pre-ejection period is about a tenth of the cycle and never half of it, so at fast
 * rates the window cannot reach the next beat's complexes). Until a running ensemble-average template of the AO
 * complex exists (3 beats) AO is the largest positive peak there; then the template is cross-correlated over the
 * window and AO is the positive peak nearest to the best alignment (within {@link ScgConfig#snapSeconds()}), so a
 * noise spike elsewhere in the window does not win. When even the best alignment correlates poorly (below
 * {@value #FALLBACK_CORRELATION}: an ectopic beat, a cough, a changed posture) the template is not trusted and AO is
 * the largest positive peak within {@value #FALLBACK_SECONDS} s of where the recent beats put it (R + median PEP of
 * the last 8). AC is found the same way with its own template, from AO + 0.55 to AO + 1.45 times the expected LVET for
 * the beat's RR (Weissler: 413 - 1.7 HR ms), its fallback centred on AO + the median LVET of the last 8 beats. The AC
 * template is long (0.1 s before the peak to 0.15 s after): the window holds two or three positive peaks about 0.1 s
 * apart, of similar shape and size, and the largest is not always the same one, so only the pattern around them tells
 * which is the closing. Times are refined to a fraction of a sample and mapped to monotonic time through the samples' own
 * timestamps. After {@link #finish()} (end of an offline record) a beat whose windows are cut by the end of the data is
 * still analysed: AO when its search window and the AO template lie within the data, AC when its window and
 * template do.
 *
 * <p>SCG-only beats: a causal 8-40 Hz band-pass, its energy over 50 ms, and peaks above an adaptive threshold (35 %
 * of the running peak level) with a refractory period of 0.6 RR (at least 0.3 s); each candidate is then placed on
 * AO like a gated beat (template cross-correlation) about 0.35 s later and told to the {@link ScgBeatListener}.
 *
 * <p>Allocation-free in {@link #process} and {@link #analyse} after construction. Not thread-safe: one DSP thread.
 */
public final class ScgProcessor {
    /** {@link #analyse} result: AO (and maybe AC) found. */
    public static final int FOUND = 1;
    /** {@link #analyse} result: the samples the window needs have not all arrived yet. */
    public static final int WAIT = 0;
    /** {@link #analyse} result: the window's samples are missing (not kept, gap) or hold no AO. */
    public static final int MISSING = -1;

    private static final double BEFORE = 0.25;
    private static final double MARGIN = 0.15;
    private static final int PENDING = 16;
    private static final int TEMPLATE_READY = 3;
    private static final int HISTORY = 8;
    /** Below this correlation with its template a complex is placed by the recent beats' timing instead. */
    static final double FALLBACK_CORRELATION = 0.3;
    /** Half-width of the fallback search around the expected time, s. */
    static final double FALLBACK_SECONDS = 0.03;
    /** The AO window ends at most this share of the RR interval after R. */
    private static final double AO_MAX_RR_SHARE = 0.5;

    private final StreamDescriptor stream;
    private final ScgConfig config;
    private final ScgBeatListener listener;
    private final int axis;
    private final double fs;
    private final TimedRing ring;
    private final ZeroPhaseFilter band;
    private final double[] y;
    private final Template ao;
    private final Template ac;
    private final double[] peps = new double[HISTORY];
    private final double[] lvets = new double[HISTORY];
    private final double[] sortBuf = new double[HISTORY];
    private int pepCount;
    private int lvetCount;
    private boolean ended;
    private final ScgBeat onlyBeat = new ScgBeat();

    private final BiquadCascade envFilter;
    private final double[] energy;
    private int energyIndex;
    private double energySum;
    private long envCount;
    private double peakLevel;
    private double candValue;
    private long candPosition = -1;
    private long lastBeatPosition = Long.MIN_VALUE;
    private double rrSamples;
    private final long[] pendingNanos = new long[PENDING];
    private int pendingHead;
    private int pendingCount;
    private long lastOnlyAo = ScgBeat.NONE;

    /**
     * @param stream   the SCG stream; its nominal rate is used for all durations
     * @param axis     the channel of the dorso-ventral acceleration
     * @param listener receives beats found without ECG
     */
    public ScgProcessor(StreamDescriptor stream, int axis, ScgConfig config, ScgBeatListener listener) {
        this.stream = Objects.requireNonNull(stream, "stream");
        this.config = Objects.requireNonNull(config, "config");
        this.listener = Objects.requireNonNull(listener, "listener");
        if (axis < 0 || axis >= stream.channelCount()) {
            throw new IllegalArgumentException("SCG axis " + axis + " is not a channel of stream '" + stream.streamId()
                    + "' (" + stream.channelCount() + " channels)");
        }
        this.axis = axis;
        this.fs = stream.nominalRateHz();
        if (config.highHz() >= 0.45 * fs) {
            throw new IllegalArgumentException("SCG band-pass upper edge " + config.highHz() + " Hz is too close to the"
                    + " Nyquist frequency of stream '" + stream.streamId() + "' (" + fs + " Hz)");
        }
        this.ring = new TimedRing(new int[] {axis}, (int) Math.round(12 * fs));
        this.band = new ZeroPhaseFilter(EcgFilters.bandPass(fs, config.lowHz(), config.highHz(), 2));
        this.y = new double[(int) Math.round(2.5 * fs)];
        this.ao = new Template((int) Math.round(0.06 * fs), (int) Math.round(0.12 * fs));
        this.ac = new Template((int) Math.round(0.1 * fs), (int) Math.round(0.15 * fs));
        this.envFilter = EcgFilters.bandPass(fs, 8, Math.min(40, 0.4 * fs), 2);
        this.energy = new double[(int) Math.max(1, Math.round(0.05 * fs))];
        this.rrSamples = 0.8 * fs;
    }

    public StreamDescriptor stream() {
        return stream;
    }

    /** Takes one block; SCG-only beats decided by it are reported before this returns. */
    public void process(SampleBlock block) {
        int len = block.length();
        if (len == 0) {
            return;
        }
        if (ring.append(block)) {
            resetDetector();
        }
        long first = ring.end() - len;
        double[] x = block.channel(axis);
        for (int i = 0; i < len; i++) {
            detect(x[i], first + i);
        }
        while (pendingCount > 0) {
            long t = pendingNanos[pendingHead];
            if (ring.newestTime() < t + (long) ((0.3 + MARGIN) * 1e9)) {
                break;
            }
            pendingHead = (pendingHead + 1) % PENDING;
            pendingCount--;
            refineOnly(t);
        }
    }

    private void resetDetector() {
        envFilter.reset();
        java.util.Arrays.fill(energy, 0);
        energySum = 0;
        envCount = 0;
        peakLevel = 0;
        candPosition = -1;
        candValue = 0;
        lastBeatPosition = Long.MIN_VALUE;
        pendingCount = 0;
    }

    private void detect(double v, long position) {
        double f = envFilter.process(v);
        double e = f * f;
        energySum += e - energy[energyIndex];
        energy[energyIndex] = e;
        energyIndex = (energyIndex + 1) % energy.length;
        double env = energySum / energy.length;
        envCount++;
        long learn = Math.round(2 * fs);
        if (envCount <= learn) {
            peakLevel = Math.max(peakLevel, env);
            return;
        }
        long refractory = (long) Math.max(0.3 * fs, 0.6 * rrSamples);
        if (lastBeatPosition != Long.MIN_VALUE && position - lastBeatPosition < refractory) {
            return;
        }
        if (env > 0.35 * peakLevel && env > candValue) {
            candValue = env;
            candPosition = position;
        }
        if (candPosition >= 0 && position - candPosition > Math.round(0.15 * fs)) {
            if (lastBeatPosition != Long.MIN_VALUE) {
                double rr = candPosition - lastBeatPosition;
                if (rr > 0.25 * fs && rr < 2.5 * fs) {
                    rrSamples = 0.8 * rrSamples + 0.2 * rr;
                }
            }
            lastBeatPosition = candPosition;
            peakLevel = 0.875 * peakLevel + 0.125 * candValue;
            if (pendingCount < PENDING) {
                pendingNanos[(pendingHead + pendingCount) % PENDING] = ring.time(candPosition);
                pendingCount++;
            }
            candPosition = -1;
            candValue = 0;
        } else if (candPosition < 0 && lastBeatPosition != Long.MIN_VALUE
                && position - lastBeatPosition > Math.round(2.5 * fs)) {
            // no beat for a long time: lower the level so that a weaker signal is found again
            peakLevel *= 0.5;
            lastBeatPosition = position - refractory;
        }
    }

    private void refineOnly(long candidateNanos) {
        int n = load(candidateNanos - (long) (0.3 * 1e9), candidateNanos + (long) (0.3 * 1e9));
        if (n <= 0) {
            return;
        }
        int c = index(candidateNanos);
        int at = ao.locate(c - (int) Math.round(0.15 * fs), c + (int) Math.round(0.1 * fs), n, -1);
        if (at < 0) {
            return;
        }
        long aoNanos = Math.round(ring.timeAt(windowStart + Peaks.parabolic(y, at, n)));
        if (lastOnlyAo != ScgBeat.NONE && aoNanos - lastOnlyAo < 250_000_000L) {
            return;
        }
        lastOnlyAo = aoNanos;
        onlyBeat.clear();
        onlyBeat.aoNanos = aoNanos;
        onlyBeat.aoAmplitude = y[at];
        onlyBeat.quality = ao.ready() ? Math.max(0, ao.correlation) : 0.5;
        listener.onScgBeat(onlyBeat);
    }

    private long windowStart;

    /** Loads and band-passes [from, to] into y; returns the sample count, or -1 if the samples are not kept. */
    private int load(long fromNanos, long toNanos) {
        if (ring.isEmpty() || ring.time(ring.start()) > fromNanos + (long) (0.1 * 1e9)) {
            return -1;
        }
        long p0 = ring.positionAtOrAfter(fromNanos);
        long p1 = Math.min(ring.positionAtOrAfter(toNanos), p0 + y.length);
        int n = (int) (p1 - p0);
        if (n < ao.len * 2) {
            return -1;
        }
        ring.copy(0, p0, n, y);
        double mean = 0;
        for (int i = 0; i < n; i++) {
            mean += y[i];
        }
        mean /= n;
        for (int i = 0; i < n; i++) {
            y[i] -= mean;
        }
        band.apply(y, y, n);
        windowStart = p0;
        return n;
    }

    private int index(long nanos) {
        return (int) (ring.positionAtOrAfter(nanos) - windowStart);
    }

    /**
     * The running ensemble-average template of one complex (AO or AC) of the band-passed signal {@link #y}, unit
     * variance, {@code lead} samples before the peak and {@code after} after it.
     */
    private final class Template {
        final int lead;
        final int len;
        final double[] t;
        int count;
        /** Correlation of the last complex placed with the template (1 before the template is ready). */
        double correlation;

        Template(int lead, int after) {
            this.lead = lead;
            this.len = lead + after + 1;
            this.t = new double[len];
        }

        boolean ready() {
            return count >= TEMPLATE_READY;
        }

        /**
         * The complex's peak in y[lo..hi]: by the template when there is one and it fits, else the largest positive
         * peak, near {@code expected} (an index, or -1 for none) when the template fits poorly; -1 if the range is
         * empty.
         */
        int locate(int lo, int hi, int n, int expected) {
            lo = Math.max(lo, 1);
            hi = Math.min(hi, n - 2);
            if (hi <= lo) {
                return -1;
            }
            if (!ready()) {
                correlation = 1;
                return Peaks.argMax(y, lo, hi + 1);
            }
            int best = -1;
            double bestCorr = Double.NEGATIVE_INFINITY;
            for (int c = lo; c <= hi; c++) {
                if (c - lead < 0 || c - lead + len > n) {
                    continue;
                }
                double r = Peaks.correlation(y, c - lead, t, 0, len);
                if (r > bestCorr) {
                    bestCorr = r;
                    best = c;
                }
            }
            if (best < 0 || bestCorr < FALLBACK_CORRELATION) {
                correlation = Math.max(0, bestCorr);
                if (expected >= 0) {
                    int w = (int) Math.max(1, Math.round(FALLBACK_SECONDS * fs));
                    int at = Peaks.argMax(y, Math.max(lo, expected - w), Math.min(hi, expected + w) + 1);
                    if (at >= 0) {
                        return at;
                    }
                }
                return Peaks.argMax(y, lo, hi + 1);
            }
            int snap = (int) Math.max(1, Math.round(config.snapSeconds() * fs));
            int at = Peaks.argMax(y, Math.max(lo, best - snap), Math.min(hi, best + snap) + 1);
            correlation = at - lead >= 0 && at - lead + len <= n ? Peaks.correlation(y, at - lead, t, 0, len) : bestCorr;
            return at;
        }

        /** Averages the complex at {@code at} into the template (once it is there, only if it correlated well). */
        void learn(int at, int n) {
            if (ready() && correlation <= 0.4) {
                return;
            }
            int s0 = at - lead;
            if (s0 < 0 || s0 + len > n) {
                return;
            }
            double mean = 0;
            for (int k = 0; k < len; k++) {
                mean += y[s0 + k];
            }
            mean /= len;
            double ss = 0;
            for (int k = 0; k < len; k++) {
                double d = y[s0 + k] - mean;
                ss += d * d;
            }
            if (!(ss > 0)) {
                return;
            }
            double norm = 1 / Math.sqrt(ss / len);
            double alpha = 1.0 / Math.min(count + 1, config.templateBeats());
            for (int k = 0; k < len; k++) {
                t[k] += alpha * ((y[s0 + k] - mean) * norm - t[k]);
            }
            count++;
        }
    }

    /**
     * Finds AO and AC of the beat whose R peak is at {@code rNanos} and fills {@code out}.
     *
     * @param rrSeconds the RR before the beat (sets the expected LVET); NaN for 0.8 s
     * @return {@link #FOUND}, {@link #WAIT} (call again when more samples have arrived) or {@link #MISSING}
     */
    public int analyse(long rNanos, double rrSeconds, ScgBeat out) {
        out.clear();
        double lvet = expectedLvet(rrSeconds);
        double aoTo = config.aoToSeconds();
        if (rrSeconds > 0.25 && rrSeconds < 2.5) {
            aoTo = Math.max(config.aoFromSeconds() + 0.02, Math.min(aoTo, AO_MAX_RR_SHARE * rrSeconds));
        }
        long aoFrom = rNanos + (long) (config.aoFromSeconds() * 1e9);
        long aoLast = rNanos + (long) (aoTo * 1e9);
        long acLast = aoLast + (long) ((config.lvetMaxFactor() * lvet + 0.03) * 1e9);
        long need = acLast + (long) (MARGIN * 1e9);
        if (ring.isEmpty()) {
            return MISSING;
        }
        if (ring.newestTime() < need) {
            if (!ended) {
                return WAIT;
            }
            need = ring.newestTime();
        }
        int n = load(rNanos - (long) (BEFORE * 1e9), need);
        if (n <= 0) {
            return MISSING;
        }
        int hi = index(aoLast);
        if (hi >= n - 1) {
            return MISSING; // the data end inside the AO window
        }
        int expected = pepCount > 0 ? index(rNanos + (long) (OrderStatistics.median(peps, Math.min(pepCount, HISTORY), sortBuf) * 1e9)) : -1;
        int a = ao.locate(index(aoFrom), hi, n, expected);
        if (a < 0 || a + ao.len - ao.lead > n) {
            return MISSING;
        }
        out.quality = ao.ready() ? Math.max(0, ao.correlation) : 1;
        ao.learn(a, n);
        double aoPos = Peaks.parabolic(y, a, n);
        out.aoNanos = Math.round(ring.timeAt(windowStart + aoPos));
        out.aoAmplitude = y[a];
        remember(peps, pepCount++, (out.aoNanos - rNanos) / 1e9);
        int acLo = index(out.aoNanos + (long) (config.lvetMinFactor() * lvet * 1e9));
        int acHi = index(out.aoNanos + (long) (config.lvetMaxFactor() * lvet * 1e9));
        if (acHi + ac.len - ac.lead > n) {
            return FOUND; // the data end inside the AC window or its template
        }
        int acExpected = lvetCount > 0 ? index(out.aoNanos + (long) (OrderStatistics.median(lvets, Math.min(lvetCount, HISTORY), sortBuf) * 1e9)) : -1;
        int c = ac.locate(acLo, acHi, n, acExpected);
        if (c > 0) {
            ac.learn(c, n);
            out.acNanos = Math.round(ring.timeAt(windowStart + Peaks.parabolic(y, c, n)));
            remember(lvets, lvetCount++, (out.acNanos - out.aoNanos) / 1e9);
        }
        return FOUND;
    }

    /**
     * End of the stream (offline): from now on {@link #analyse} uses the data there are instead of waiting for the
     * rest of a beat's windows.
     */
    public void finish() {
        ended = true;
    }

    private static void remember(double[] history, int index, double value) {
        history[index % HISTORY] = value;
    }

    /** Expected LVET in seconds for a beat with this RR (Weissler 413 - 1.7 HR ms, within 150..400 ms). */
    static double expectedLvet(double rrSeconds) {
        double rr = rrSeconds > 0.25 && rrSeconds < 2.5 ? rrSeconds : 0.8;
        return Math.max(0.15, Math.min(0.40, 0.413 - 0.0017 * 60 / rr));
    }

    /** Time of the newest sample taken, ns; MIN_VALUE before the first. */
    public long newestNanos() {
        return ring.newestTime();
    }

    /** Beats averaged into the AO template so far. */
    public int templateBeats() {
        return ao.count;
    }
}
