package org.cardiogate.dsp.scg;

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
 * time). AO is the largest positive peak in R + {@link ScgConfig#aoFromSeconds()}..{@link ScgConfig#aoToSeconds()};
 * once a running ensemble-average template of the AO complex exists (3 beats), the template is cross-correlated over
 * that window and AO is the positive peak nearest to the best alignment (within {@link ScgConfig#snapSeconds()}), so
 * a noise spike elsewhere in the window does not win. AC is the largest positive peak from AO + 0.55 to AO + 1.45
 * times the expected LVET for the beat's RR (Weissler: 413 - 1.7 HR ms). Times are refined to a fraction of a sample
 * and mapped to monotonic time through the samples' own timestamps.
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

    private final StreamDescriptor stream;
    private final ScgConfig config;
    private final ScgBeatListener listener;
    private final int axis;
    private final double fs;
    private final TimedRing ring;
    private final ZeroPhaseFilter band;
    private final double[] y;
    private final int tLead;
    private final int tLen;
    private final double[] template;
    private int templateCount;
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
    private double lastCorrelation;

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
        this.tLead = (int) Math.round(0.06 * fs);
        this.tLen = tLead + (int) Math.round(0.12 * fs) + 1;
        this.template = new double[tLen];
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
        int ao = locateAo(c - (int) Math.round(0.15 * fs), c + (int) Math.round(0.1 * fs), n);
        if (ao < 0) {
            return;
        }
        long aoNanos = Math.round(ring.timeAt(windowStart + Peaks.parabolic(y, ao, n)));
        if (lastOnlyAo != ScgBeat.NONE && aoNanos - lastOnlyAo < 250_000_000L) {
            return;
        }
        lastOnlyAo = aoNanos;
        onlyBeat.clear();
        onlyBeat.aoNanos = aoNanos;
        onlyBeat.aoAmplitude = y[ao];
        onlyBeat.quality = templateCount >= TEMPLATE_READY ? Math.max(0, lastCorrelation) : 0.5;
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
        if (n < tLen * 2) {
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

    /** AO in y[lo..hi]: by the template when there is one, else the largest positive peak; -1 if none. */
    private int locateAo(int lo, int hi, int n) {
        lo = Math.max(lo, 1);
        hi = Math.min(hi, n - 2);
        if (hi <= lo) {
            return -1;
        }
        if (templateCount < TEMPLATE_READY) {
            lastCorrelation = 1;
            return Peaks.argMax(y, lo, hi + 1);
        }
        int best = -1;
        double bestCorr = Double.NEGATIVE_INFINITY;
        for (int c = lo; c <= hi; c++) {
            if (c - tLead < 0 || c - tLead + tLen > n) {
                continue;
            }
            double r = Peaks.correlation(y, c - tLead, template, 0, tLen);
            if (r > bestCorr) {
                bestCorr = r;
                best = c;
            }
        }
        if (best < 0) {
            return Peaks.argMax(y, lo, hi + 1);
        }
        int snap = (int) Math.max(1, Math.round(config.snapSeconds() * fs));
        int ao = Peaks.argMax(y, Math.max(lo, best - snap), Math.min(hi, best + snap) + 1);
        lastCorrelation = ao - tLead >= 0 && ao - tLead + tLen <= n
                ? Peaks.correlation(y, ao - tLead, template, 0, tLen) : bestCorr;
        return ao;
    }

    private void learn(int ao, int n) {
        int s0 = ao - tLead;
        if (s0 < 0 || s0 + tLen > n) {
            return;
        }
        double mean = 0;
        for (int k = 0; k < tLen; k++) {
            mean += y[s0 + k];
        }
        mean /= tLen;
        double ss = 0;
        for (int k = 0; k < tLen; k++) {
            double d = y[s0 + k] - mean;
            ss += d * d;
        }
        if (!(ss > 0)) {
            return;
        }
        double norm = 1 / Math.sqrt(ss / tLen);
        double alpha = 1.0 / Math.min(templateCount + 1, config.templateBeats());
        for (int k = 0; k < tLen; k++) {
            template[k] += alpha * ((y[s0 + k] - mean) * norm - template[k]);
        }
        templateCount++;
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
        long aoFrom = rNanos + (long) (config.aoFromSeconds() * 1e9);
        long aoTo = rNanos + (long) (config.aoToSeconds() * 1e9);
        long acLast = aoTo + (long) ((config.lvetMaxFactor() * lvet + 0.03) * 1e9);
        long need = acLast + (long) (MARGIN * 1e9);
        if (ring.isEmpty() || ring.newestTime() < need) {
            return ring.isEmpty() ? MISSING : WAIT;
        }
        int n = load(rNanos - (long) (BEFORE * 1e9), need);
        if (n <= 0) {
            return MISSING;
        }
        int ao = locateAo(index(aoFrom), index(aoTo), n);
        if (ao < 0) {
            return MISSING;
        }
        out.quality = templateCount >= TEMPLATE_READY ? Math.max(0, lastCorrelation) : 1;
        if (templateCount < TEMPLATE_READY || lastCorrelation > 0.4) {
            learn(ao, n);
        }
        double aoPos = Peaks.parabolic(y, ao, n);
        out.aoNanos = Math.round(ring.timeAt(windowStart + aoPos));
        out.aoAmplitude = y[ao];
        int acLo = index(out.aoNanos + (long) (config.lvetMinFactor() * lvet * 1e9));
        int acHi = index(out.aoNanos + (long) (config.lvetMaxFactor() * lvet * 1e9));
        int ac = Peaks.argMax(y, acLo, Math.min(acHi + 1, n - 1));
        if (ac > 0) {
            out.acNanos = Math.round(ring.timeAt(windowStart + Peaks.parabolic(y, ac, n)));
        }
        return FOUND;
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
        return templateCount;
    }
}
