package org.cardiogate.dsp.latency;

import java.util.Objects;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.SingleWriterRecorder;
import org.cardiogate.signal.MonotonicClock;

/**
 * Times the processing of blocks on the DSP thread into an HdrHistogram and counts the blocks over a budget.
 *
 * <p>Threading: {@link #start()} and {@link #stop(long)} are called by the one DSP thread and allocate nothing (an
 * HdrHistogram {@link SingleWriterRecorder}, its histograms made at construction; times above
 * {@link #HIGHEST_NANOS} are recorded as that). {@link #snapshot()} and {@link #overruns()} may be called from any
 * thread; a snapshot takes the recorder's interval histogram, adds it to the running total and allocates a little,
 * so call it off the hot path (a metrics or status thread, a few times a second at most).
 */
public final class BlockTimer {
    /** Longest time the histogram tells apart: 10 s. */
    public static final long HIGHEST_NANOS = 10_000_000_000L;

    private final MonotonicClock clock;
    private final long budgetNanos;
    private final SingleWriterRecorder recorder;
    private final Histogram total;
    private Histogram interval;
    private volatile long overruns;

    /**
     * @param clock       the time source (e.g. {@link MonotonicClock#SYSTEM} live, a manual clock in tests)
     * @param budgetNanos a block taking longer than this is an overrun; positive
     */
    public BlockTimer(MonotonicClock clock, long budgetNanos) {
        this.clock = Objects.requireNonNull(clock, "clock");
        if (budgetNanos <= 0) {
            throw new IllegalArgumentException("processing budget per block must be positive, got " + budgetNanos
                    + " ns");
        }
        this.budgetNanos = budgetNanos;
        this.recorder = new SingleWriterRecorder(1, HIGHEST_NANOS, 3);
        this.total = new Histogram(1, HIGHEST_NANOS, 3);
    }

    /** The clock reading at the start of a block; pass it to {@link #stop(long)}. */
    public long start() {
        return clock.nanoTime();
    }

    /** Records the block begun at {@code startNanos} (a value of {@link #start()}). DSP thread only. */
    public void stop(long startNanos) {
        long elapsed = clock.nanoTime() - startNanos;
        if (elapsed > budgetNanos) {
            overruns++;
        }
        recorder.recordValue(Math.max(1, Math.min(elapsed, HIGHEST_NANOS)));
    }

    /** Blocks over budget so far. Any thread. */
    public long overruns() {
        return overruns;
    }

    public long budgetNanos() {
        return budgetNanos;
    }

    /** The figures since construction. Any thread; allocates, keep it off the hot path. */
    public synchronized LatencyStats snapshot() {
        interval = recorder.getIntervalHistogram(interval);
        total.add(interval);
        long count = total.getTotalCount();
        return new LatencyStats(count, count == 0 ? Double.NaN : total.getMean(), total.getValueAtPercentile(50),
                total.getValueAtPercentile(99), total.getValueAtPercentile(99.9), total.getMaxValue(), budgetNanos,
                overruns);
    }
}
