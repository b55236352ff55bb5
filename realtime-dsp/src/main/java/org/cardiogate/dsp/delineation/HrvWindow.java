package org.cardiogate.dsp.delineation;

/**
 * Time-domain heart-rate variability over a sliding window of RR intervals: SDNN (sample standard deviation of the
 * intervals), RMSSD (root mean square of the successive differences) and pNN50 (share of successive differences
 * larger than 50 ms). The window holds the most recent intervals whose sum is at most {@code windowSeconds} (for
 * example 300 s, the standard short-term recording), and at most {@code capacity} of them.
 *
 * <p>Successive differences are taken only between intervals that follow each other without a
 * {@link #breakSequence()} between them (a gap in the signal, or an interval the caller left out as not normal-to-normal).
 * The caller decides what counts as NN: give only intervals between normal beats.
 *
 * <p>Preallocated ring; {@link #add(double)} and the statistics allocate nothing. Statistics are computed over the
 * window on demand, in time proportional to its length. Not thread-safe.
 */
public final class HrvWindow {
    private static final double NN50_SECONDS = 0.050;

    private final double windowSeconds;
    private final double[] rr;
    /** Whether interval i directly follows the interval before it. */
    private final boolean[] follows;
    private int head;
    private int count;
    private double sum;
    private boolean broken = true;

    /**
     * @param windowSeconds longest total duration of the intervals kept, in seconds
     * @param capacity      most intervals kept (for 300 s at up to 250 bpm: 1250)
     */
    public HrvWindow(double windowSeconds, int capacity) {
        if (!(windowSeconds > 0) || Double.isInfinite(windowSeconds)) {
            throw new IllegalArgumentException("HRV window must be a positive number of seconds, got " + windowSeconds);
        }
        if (capacity < 2) {
            throw new IllegalArgumentException("HRV window capacity must be at least 2 intervals, got " + capacity);
        }
        this.windowSeconds = windowSeconds;
        this.rr = new double[capacity];
        this.follows = new boolean[capacity];
    }

    /** The standard short-term window: 5 minutes, up to 1250 intervals. */
    public static HrvWindow fiveMinutes() {
        return new HrvWindow(300, 1250);
    }

    /** Adds the next NN interval in seconds; NaN or a non-positive value breaks the sequence instead. */
    public void add(double rrSeconds) {
        if (!(rrSeconds > 0) || Double.isInfinite(rrSeconds)) {
            breakSequence();
            return;
        }
        if (count == rr.length) {
            dropOldest();
        }
        int slot = (head + count) % rr.length;
        rr[slot] = rrSeconds;
        follows[slot] = !broken;
        broken = false;
        count++;
        sum += rrSeconds;
        while (sum > windowSeconds && count > 1) {
            dropOldest();
        }
    }

    private void dropOldest() {
        sum -= rr[head];
        head = (head + 1) % rr.length;
        count--;
        if (count > 0) {
            follows[head] = false;
        } else {
            sum = 0;
        }
    }

    /** The next interval does not follow the last one (a gap, or a beat left out): no difference is taken across. */
    public void breakSequence() {
        broken = true;
    }

    /** Forgets every interval. */
    public void clear() {
        head = 0;
        count = 0;
        sum = 0;
        broken = true;
    }

    /** Intervals in the window. */
    public int size() {
        return count;
    }

    /** Sum of the intervals in the window, in seconds. */
    public double durationSeconds() {
        return sum;
    }

    /** Mean NN interval in seconds, or NaN when empty. */
    public double meanNnSeconds() {
        if (count == 0) {
            return Double.NaN;
        }
        double s = 0;
        for (int i = 0; i < count; i++) {
            s += rr[(head + i) % rr.length];
        }
        return s / count;
    }

    /** SDNN in seconds (divisor n - 1), or NaN with fewer than two intervals. */
    public double sdnnSeconds() {
        if (count < 2) {
            return Double.NaN;
        }
        double mean = meanNnSeconds();
        double s = 0;
        for (int i = 0; i < count; i++) {
            double d = rr[(head + i) % rr.length] - mean;
            s += d * d;
        }
        return Math.sqrt(s / (count - 1));
    }

    /** RMSSD in seconds, or NaN when no two successive intervals are in the window. */
    public double rmssdSeconds() {
        double s = 0;
        int n = 0;
        for (int i = 1; i < count; i++) {
            int slot = (head + i) % rr.length;
            if (follows[slot]) {
                double d = rr[slot] - rr[(head + i - 1) % rr.length];
                s += d * d;
                n++;
            }
        }
        return n == 0 ? Double.NaN : Math.sqrt(s / n);
    }

    /** pNN50 as a fraction (0-1) of the successive differences, or NaN when there are none. */
    public double pnn50() {
        int over = 0;
        int n = 0;
        for (int i = 1; i < count; i++) {
            int slot = (head + i) % rr.length;
            if (follows[slot]) {
                if (Math.abs(rr[slot] - rr[(head + i - 1) % rr.length]) > NN50_SECONDS + 1e-9) {
                    over++;
                }
                n++;
            }
        }
        return n == 0 ? Double.NaN : (double) over / n;
    }
}
