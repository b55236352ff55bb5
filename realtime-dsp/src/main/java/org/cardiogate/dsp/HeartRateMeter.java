package org.cardiogate.dsp;

/**
 * Beat-to-beat RR interval and the averaged heart rate a bedside monitor displays: the mean of the last
 * {@value #HISTORY} RR intervals that lie within 20 % of their median (so one ectopic beat or one missed beat
 * does not move the figure), each interval also within 0.2-3 s.
 *
 * <p>Allocation-free. Not thread-safe: used by the thread that reports the beats.
 */
public final class HeartRateMeter {
    /** RR intervals averaged. */
    public static final int HISTORY = 10;
    private static final double MIN_RR = 0.2;
    private static final double MAX_RR = 3.0;
    private static final double OUTLIER = 0.2;

    private final double sampleRateHz;
    private final double[] rr = new double[HISTORY];
    private final double[] sorted = new double[HISTORY];
    private int count;
    private int next;
    private long lastBeat = Long.MIN_VALUE;
    private double lastRr = Double.NaN;
    private double heartRate = Double.NaN;

    /** @param sampleRateHz the rate of the sample numbers given to {@link #onBeat(long)} */
    public HeartRateMeter(double sampleRateHz) {
        if (!(sampleRateHz > 0) || Double.isInfinite(sampleRateHz)) {
            throw new IllegalArgumentException("sample rate must be a positive number of Hz, got " + sampleRateHz);
        }
        this.sampleRateHz = sampleRateHz;
    }

    /**
     * Adds a beat at sample {@code sample} (beats in increasing order) and returns its RR interval in seconds, or NaN
     * for the first beat after construction or {@link #reset()}.
     */
    public double onBeat(long sample) {
        if (lastBeat == Long.MIN_VALUE) {
            lastBeat = sample;
            lastRr = Double.NaN;
            return lastRr;
        }
        if (sample <= lastBeat) {
            throw new IllegalArgumentException("beat at sample " + sample + " does not follow the last beat at " + lastBeat);
        }
        lastRr = (sample - lastBeat) / sampleRateHz;
        lastBeat = sample;
        if (lastRr >= MIN_RR && lastRr <= MAX_RR) {
            rr[next] = lastRr;
            next = (next + 1) % HISTORY;
            if (count < HISTORY) {
                count++;
            }
            heartRate = average();
        }
        return lastRr;
    }

    private double average() {
        System.arraycopy(rr, 0, sorted, 0, count);
        double median = OrderStatistics.median(sorted, count);
        double sum = 0;
        int used = 0;
        for (int i = 0; i < count; i++) {
            if (Math.abs(sorted[i] - median) <= OUTLIER * median) {
                sum += sorted[i];
                used++;
            }
        }
        return 60.0 / (sum / used);
    }

    /** The RR interval of the last beat in seconds, or NaN. */
    public double lastRrSeconds() {
        return lastRr;
    }

    /** The averaged heart rate in beats per minute, or NaN before the first valid RR interval. */
    public double heartRateBpm() {
        return heartRate;
    }

    /** Forgets all beats, for example after a gap in the signal. */
    public void reset() {
        count = 0;
        next = 0;
        lastBeat = Long.MIN_VALUE;
        lastRr = Double.NaN;
        heartRate = Double.NaN;
    }
}
