package org.cardiogate.inference.rhythm;

import org.cardiogate.dsp.OrderStatistics;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Consumer;

import org.cardiogate.signal.CardiacEvent;
import org.cardiogate.signal.EventType;

/**
 * Atrial fibrillation from RR intervals. AF is the rhythm that is <em>irregularly irregular</em>: its RR intervals
 * change a lot from beat to beat, follow no short repeating pattern and take no few preferred values. The rhythms that
 * fool a plain irregularity measure are irregular in an orderly way: frequent premature beats (a fixed coupling
 * interval and pause among equal sinus intervals), bigeminy and trigeminy, 2:1 / 3:2 block and atrial flutter or
 * tachycardia with variable block (intervals that are whole multiples of one atrial cycle). On the last {@code
 * windowBeats} RR intervals the detector therefore leaves the premature beats out and requires both:
 *
 * <ol>
 * <li><b>premature beats</b> (left out first): an interval at least {@link #PREMATURITY} shorter than the reference (the
 * window's median RR) followed by one at least {@link #PAUSE} longer is a premature beat with its pause, atrial or
 * ventricular, classified or not; both intervals are left out, whatever the pattern (isolated, bigeminal, every
 * fourth beat). In AF such pairs occur by chance too; leaving them out thins the window but leaves it irregular.</li>
 * <li><b>irregularity</b> above {@code onThreshold}: the smallest, over lags {@code k = 1 .. patternLags}, of the
 * median of {@code |RR(i) - RR(i-k)|}, divided by the median RR. A sinus rhythm is regular at lag 1, a bigeminal one
 * at lag 2, a trigeminal one at lag 3; AF is irregular at every lag. Differences of successive intervals ignore slow
 * changes of rate (exercise, sinus arrhythmia), and they are taken around their mean (the window's trend), so a fast
 * but steady acceleration or slowing is not irregular either.</li>
 * <li><b>dispersion</b> above {@code dispersionOn}: the fraction of all pairs of intervals in the window that differ
 * by more than {@link #PAIR_TOLERANCE} of the median RR (the pairwise count of Petrėnas, Marozas and Sörnmo,
 * "Low-complexity detection of atrial fibrillation in continuous long-term monitoring", Comput Biol Med 65:184-191,
 * 2015, with their 30 ms made relative to the cycle). Intervals that cluster on a few values (sinus beats plus
 * premature beats with their pauses, group beating, variable block) leave many equal pairs; the continuous spread of
 * AF leaves few.</li>
 * </ol>
 *
 * <p>RR intervals next to a beat the classifier called ventricular ({@code ectopic}) are left out of both. AF starts
 * when both measures exceed their on-thresholds and ends when either falls below its off-threshold (hysteresis).
 *
 * <p>Episode ends: an organised rhythm shows as {@link #REGULAR_RUN} successive lag-1 differences within the
 * on-threshold (four equal intervals in a row, which AF gives about 1 % of the time). The onset is dated back to just
 * after the last such run in the window that triggered the episode (its start if there is none), the end to the
 * start of the first such run in the window that ended it; so a premature beat in the sinus rhythm before or after
 * an episode does not stretch it. Live consumers get the onset event (offset -1) when the decision is made: the
 * detection delay is the decision beat minus the true onset.
 *
 * <p>Noise: beats in noisy stretches (the caller's flag) are not used and the window restarts after the stretch; no
 * episode starts in one. AF is a sustained rhythm, so an episode open when the noise began is held: if the first full
 * window after the stretch is still not regular the episode goes on through it, otherwise it ends where the regular
 * rhythm began in that window, or at the last clean beat before the noise if the window is regular throughout (an
 * episode still held at {@link #finish} ends there too).
 *
 * <p>P waves are not used: on the reference recordings the streaming delineator reports a P wave before most beats of
 * coarse AF (f waves) and misses it in several non-AF recordings (on cpsc2021 at the reference beats, lead I: a P
 * wave before 71 % of the AF beats and 87 % of the others; in the persistent-AF records 57-89 %, in the slow group
 * beating of records data_35_* 25-57 %), so its absence is no evidence.
 *
 * <p>Allocation-free per beat apart from the emitted events (fixed rings, primitive sorts of at most {@code
 * windowBeats} values, {@code windowBeats^2 / 2} pair comparisons). Not thread-safe: one thread.
 */
public final class AfDetector {
    /**
     * Two intervals are "equal" for the dispersion when they differ by at most this fraction of the median RR: 4 %,
     * Petrėnas et al.'s 30 ms at 80 bpm.
     */
    public static final double PAIR_TOLERANCE = 0.04;

    /**
     * An interval at least this fraction shorter than the reference (the window's median RR, or the last interval
     * before the first full window) and followed by one at least {@link #PAUSE} longer is a premature beat with its
     * pause; both are left out. 15 % is the usual prematurity criterion of Holter analysis for supraventricular
     * premature beats.
     */
    static final double PREMATURITY = 0.15;

    /** See {@link #PREMATURITY}: the pause after a premature beat is longer than the reference by at least 5 %. */
    static final double PAUSE = 0.05;

    /** Least share of the window's time span its (not left out) intervals must cover for a decision. */
    static final double MIN_COVERAGE = 0.6;

    /** Successive equal RR differences (lag 1) that mark an organised rhythm when dating an episode's ends. */
    static final int REGULAR_RUN = 3;

    /**
     * @param windowBeats   RR intervals per decision window (8-64)
     * @param onThreshold   irregularity (a fraction of the median RR) above which AF may start
     * @param offThreshold  irregularity below which AF ends
     * @param dispersionOn  dispersion (fraction of unequal pairs, 0-1) above which AF may start
     * @param dispersionOff dispersion below which AF ends
     * @param patternLags   largest repetition period in beats that is taken for a pattern and not for AF (1-4, at
     *                      most a quarter of the window; 1 measures plain successive differences)
     * @param prematureFilter leave out premature beats followed by a pause (see {@link #PREMATURITY})
     */
    public record Config(int windowBeats, double onThreshold, double offThreshold, double dispersionOn,
                         double dispersionOff, int patternLags, boolean prematureFilter) {
        /**
         * 16 intervals; premature-beat filter on; irregularity on above 0.04, off below 0.025; dispersion on above 0.75,
         * off below 0.70; lags up to 3. The dispersion thresholds are physiological: sinus beats with premature beats
         * up to every third or fourth beat, bigeminy, and rhythms on two or three RR values give at most about 0.67 (a
         * little more with the natural variation of the sinus rate), AF with an RR coefficient of variation of 0.1 or
         * more at least about 0.78; the off-threshold stays above 0.67 so that such a rhythm cannot keep an episode
         * open. The irregularity on-threshold was chosen on cpsc2021 by leave-one-record-out with the window fixed at
         * 16 ({@link AfEvaluation} {@code --loo --window 16 --disp-on 0.75}: 0.04 chosen on all 18 records, 0.03-0.05
         * in the folds); its off-threshold is 0.625 times it (the ratio of the earlier 0.06 / 0.095). The MIT-BIH AF
         * records were not used to choose anything.
         */
        public static final Config DEFAULTS = new Config(16, 0.04, 0.025, 0.75, 0.70, 3, true);

        public Config {
            if (windowBeats < 8 || windowBeats > 64) {
                throw new IllegalArgumentException("af.windowBeats must be between 8 and 64, got " + windowBeats);
            }
            if (!(offThreshold > 0) || !(onThreshold >= offThreshold) || onThreshold > 1) {
                throw new IllegalArgumentException("af irregularity thresholds must satisfy 0 < off <= on <= 1, got on "
                        + onThreshold + ", off " + offThreshold);
            }
            if (!(dispersionOff >= 0) || !(dispersionOn >= dispersionOff) || dispersionOn >= 1) {
                throw new IllegalArgumentException("af dispersion thresholds must satisfy 0 <= off <= on < 1, got on "
                        + dispersionOn + ", off " + dispersionOff);
            }
            if (patternLags < 1 || patternLags > 4 || patternLags > windowBeats / 4) {
                throw new IllegalArgumentException("af.patternLags must be between 1 and min(4, windowBeats / 4), got "
                        + patternLags + " with windowBeats " + windowBeats);
            }
        }

        /**
         * The detector before ectopy suppression: median successive difference only (lag 1), no dispersion test, no
         * premature-beat filter.
         */
        public static Config irregularityOnly(int windowBeats, double on, double off) {
            return new Config(windowBeats, on, off, 0, 0, 1, false);
        }
    }

    private final String streamId;
    private final double fs;
    private final Config config;
    private final RhythmMonitorTime time;
    private final Consumer<CardiacEvent> sink;

    /** Ring of usable RR intervals: length in seconds, start and end sample. */
    private final double[] rr;
    private final long[] start;
    private final long[] end;
    private int count;
    private int pos;

    private final double[] scratch;
    private final double[] diffs;
    private long lastSample = -1;
    private boolean lastEctopic;
    private long onset = -1;
    private double lastIrregularity = Double.NaN;
    private double lastDispersion = Double.NaN;
    private double medianRr;
    private int lastLag;
    private long lastClosedEnd = -1;
    /** The newest usable interval, held back one beat to see whether it is a premature one followed by a pause. */
    private double pendingRr;
    private long pendingStart;
    private long pendingEnd;
    private boolean hasPending;
    /** Last clean beat before a noisy stretch that interrupted an open episode, or -1. */
    private long suspendedAt = -1;

    /** Maps a sample number to monotonic nanoseconds. */
    @FunctionalInterface
    public interface RhythmMonitorTime {
        long timestampOf(long sample);
    }

    /**
     * @param streamId     stream id written into the events
     * @param sampleRateHz rate of the sample numbers given to {@link #onBeat}, Hz (positive)
     * @param config       window and thresholds
     * @param time         maps samples to monotonic nanoseconds for the events
     * @param sink         receives the onset event (offset -1) at the decision and the closed episode at its end
     */
    public AfDetector(String streamId, double sampleRateHz, Config config, RhythmMonitorTime time,
                      Consumer<CardiacEvent> sink) {
        this.streamId = Objects.requireNonNull(streamId);
        if (!(sampleRateHz > 0) || Double.isInfinite(sampleRateHz)) {
            throw new IllegalArgumentException("AF detector sample rate must be positive, got " + sampleRateHz);
        }
        this.fs = sampleRateHz;
        this.config = Objects.requireNonNull(config);
        this.time = Objects.requireNonNull(time);
        this.sink = Objects.requireNonNull(sink);
        int w = config.windowBeats();
        rr = new double[w];
        start = new long[w];
        end = new long[w];
        scratch = new double[w];
        diffs = new double[w];
    }

    /**
     * One beat, in increasing sample order (a beat at or before the previous one, as after a restart of the source's
     * sample counter, starts the window again).
     *
     * @param sample  R-peak sample
     * @param ectopic the beat is a ventricular ectopic (the intervals before and after it are left out)
     * @param noisy   the beat lies in a noisy stretch: it is not used, the window restarts after the stretch, and an
     *                open episode is held until the first full window after it decides (see the class comment)
     */
    public void onBeat(long sample, boolean ectopic, boolean noisy) {
        if (noisy) {
            if (onset >= 0 && suspendedAt < 0) {
                suspendedAt = Math.max(lastSample, onset);
            }
            restart();
            return;
        }
        if (lastSample >= 0 && sample <= lastSample) {
            // a restarted source counter: no RR interval across it, the window starts again
            count = 0;
            pos = 0;
            hasPending = false;
            lastSample = -1;
        }
        boolean usable = lastSample >= 0 && !ectopic && !lastEctopic;
        long previous = lastSample;
        lastSample = sample;
        lastEctopic = ectopic;
        if (!usable) {
            if (hasPending) {
                hasPending = false;
                push(pendingRr, pendingStart, pendingEnd);
                if (count == rr.length) {
                    decide();
                }
            }
            return;
        }
        double interval = (sample - previous) / fs;
        if (!hasPending) {
            pend(interval, previous, sample);
            return;
        }
        double ref = count == rr.length ? medianRr : count > 0 ? rr[(pos - 1 + rr.length) % rr.length] : pendingRr;
        if (config.prematureFilter() && pendingRr < (1 - PREMATURITY) * ref && interval > (1 + PAUSE) * ref) {
            // a premature beat and the pause after it: both intervals are left out
            hasPending = false;
            return;
        }
        push(pendingRr, pendingStart, pendingEnd);
        pend(interval, previous, sample);
        if (count == rr.length) {
            decide();
        }
    }

    private void pend(double interval, long from, long to) {
        pendingRr = interval;
        pendingStart = from;
        pendingEnd = to;
        hasPending = true;
    }

    private void push(double interval, long from, long to) {
        rr[pos] = interval;
        start[pos] = from;
        end[pos] = to;
        pos = (pos + 1) % rr.length;
        count = Math.min(count + 1, rr.length);
    }

    /** Measures the full window and opens or closes an episode. */
    private void decide() {
        medianRr = medianRr();
        double irr = irregularity();
        double disp = dispersion();
        lastIrregularity = irr;
        lastDispersion = disp;
        // too few joined intervals (frequent ectopy): no new episode, an open one is decided on the dispersion alone
        boolean af = irr > config.onThreshold() && disp > config.dispersionOn();
        boolean notAf = irr < config.offThreshold() || disp < config.dispersionOff();
        if (suspendedAt >= 0) {
            // first full window after a noisy stretch inside an episode: AF again continues it, a regular rhythm
            // ends it where it ended in the window, or where the noise began if the window is regular throughout
            if (notAf) {
                long end = irregularEnd();
                close(end > start[index(0)] ? Math.max(end, onset) : suspendedAt, "RR regular after noise");
            }
            suspendedAt = -1;
            return;
        }
        if (onset < 0 && af) {
            onset = Math.max(irregularOnset(), lastClosedEnd + 1);
            sink.accept(new CardiacEvent(streamId, EventType.AF, onset, -1, time.timestampOf(onset),
                    String.format(Locale.ROOT, "RR irregularity %.3f (lag %d), dispersion %.2f over %d beats", irr,
                            lastLag, disp, rr.length)));
        } else if (onset >= 0 && notAf) {
            close(Math.max(irregularEnd(), onset), irr < config.offThreshold() ? "RR regular again"
                    : "RR intervals back on a few values");
        }
    }

    /**
     * Irregularity of the last window: smallest median |RR(i) - RR(i-k)| over the pattern lags, over the median RR
     * (NaN before the first full window after a start or a noisy stretch).
     */
    public double lastIrregularity() {
        return lastIrregularity;
    }

    /** Dispersion of the last window: fraction of interval pairs that differ by more than {@link #PAIR_TOLERANCE}. */
    public double lastDispersion() {
        return lastDispersion;
    }

    /** True while an AF episode is open. */
    public boolean inAf() {
        return onset >= 0;
    }

    /** End of input: closes an open episode at {@code lastSampleOfRecord}. */
    public void finish(long lastSampleOfRecord) {
        if (onset >= 0) {
            if (suspendedAt >= 0) {
                close(suspendedAt, "signal too noisy until the end");
            } else {
                close(Math.max(lastSampleOfRecord, onset), "until end of signal");
            }
        }
    }

    private void restart() {
        count = 0;
        pos = 0;
        hasPending = false;
        lastSample = -1;
        lastEctopic = false;
        lastIrregularity = Double.NaN;
        lastDispersion = Double.NaN;
    }

    private void close(long endSample, String why) {
        sink.accept(new CardiacEvent(streamId, EventType.AF, onset, endSample, time.timestampOf(onset), why));
        lastClosedEnd = endSample;
        onset = -1;
        suspendedAt = -1;
    }

    /** Interval {@code i} of the window, 0 the oldest. */
    private int index(int i) {
        return (pos + i) % rr.length;
    }

    private double medianRr() {
        System.arraycopy(rr, 0, scratch, 0, rr.length);
        return OrderStatistics.median(scratch, rr.length);
    }

    /**
     * Smallest median lag difference over the median RR; NaN when the window's intervals cover less than {@link
     * #MIN_COVERAGE} of the time from its first to its last beat (ectopic beats left out so often that the window
     * spans minutes of drifting sinus rate, as in frequent ventricular bigeminy), or when fewer than half the window's differences join
     * intervals that follow each other without a left-out interval between them (differences across a left-out
     * ectopic beat would compare intervals far apart in time).
     */
    private double irregularity() {
        double covered = 0;
        for (double v : rr) {
            covered += v;
        }
        if (covered < MIN_COVERAGE * (end[index(rr.length - 1)] - start[index(0)]) / fs) {
            return Double.NaN;
        }
        double best = Double.POSITIVE_INFINITY;
        for (int k = 1; k <= config.patternLags(); k++) {
            int d = 0;
            double sum = 0;
            for (int i = k; i < rr.length; i++) {
                if (contiguous(i - k, i)) {
                    double diff = rr[index(i)] - rr[index(i - k)];
                    diffs[d++] = diff;
                    sum += diff;
                }
            }
            if (d < rr.length / 2) {
                continue;
            }
            // a steady acceleration or slowing (each interval a little shorter, or longer, than the one before) is
            // not irregular: the differences are taken around their mean, the rate's trend over the window (a mean,
            // not a median, so that the alternating differences of bigeminy keep a trend near zero)
            double trend = sum / d;
            for (int j = 0; j < d; j++) {
                diffs[j] = Math.abs(diffs[j] - trend);
            }
            double med = OrderStatistics.median(diffs, d);
            if (med < best) {
                best = med;
                lastLag = k;
            }
        }
        return best == Double.POSITIVE_INFINITY ? Double.NaN : best / medianRr;
    }

    /** Whether window intervals {@code from..to} follow each other with no interval left out between them. */
    private boolean contiguous(int from, int to) {
        for (int i = from + 1; i <= to; i++) {
            if (start[index(i)] != end[index(i - 1)]) {
                return false;
            }
        }
        return true;
    }

    private double dispersion() {
        double tol = PAIR_TOLERANCE * medianRr;
        int n = rr.length;
        int unequal = 0;
        for (int i = 0; i < n; i++) {
            double a = rr[i];
            for (int j = i + 1; j < n; j++) {
                if (Math.abs(a - rr[j]) > tol) {
                    unequal++;
                }
            }
        }
        return unequal / (n * (n - 1) / 2.0);
    }

    /**
     * Where the irregular rhythm begins in the current window: after the last run of {@link #REGULAR_RUN} successive
     * RR differences (lag 1) of at most the on-threshold times the median RR, that is after the last four
     * equal intervals (an organised rhythm; in AF such a run has a chance of about 1 %); the window start if there is
     * none. A premature beat in the sinus rhythm before the episode thus does not date it back.
     */
    private long irregularOnset() {
        double limit = config.onThreshold() * medianRr;
        int run = 0;
        for (int i = rr.length - 1; i >= 1; i--) {
            if (Math.abs(rr[index(i)] - rr[index(i - 1)]) <= limit) {
                if (++run == REGULAR_RUN) {
                    return i + REGULAR_RUN < rr.length ? start[index(i + REGULAR_RUN)] : end[index(rr.length - 1)];
                }
            } else {
                run = 0;
            }
        }
        return start[index(0)];
    }

    /**
     * Where the irregular rhythm ends in the current window: at the start of the first run of {@link #REGULAR_RUN}
     * equal successive differences (lag 1); without such a run (the episode ended on the dispersion test), at the end
     * of the last lag-1 difference above the on-threshold, or the window start.
     */
    private long irregularEnd() {
        double limit = config.onThreshold() * medianRr;
        int run = 0;
        long lastIrregular = start[index(0)];
        for (int i = 1; i < rr.length; i++) {
            if (Math.abs(rr[index(i)] - rr[index(i - 1)]) <= limit) {
                if (++run == REGULAR_RUN) {
                    return start[index(i - REGULAR_RUN)];
                }
            } else {
                run = 0;
                lastIrregular = end[index(i)];
            }
        }
        return lastIrregular;
    }
}
