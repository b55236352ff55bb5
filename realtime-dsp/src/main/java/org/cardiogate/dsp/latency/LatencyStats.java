package org.cardiogate.dsp.latency;

/**
 * Processing time per block since start, as read by {@link BlockTimer#snapshot()}. Times in nanoseconds;
 * percentiles are HdrHistogram values (3 significant digits).
 *
 * @param blocks        blocks timed
 * @param meanNanos     mean time per block, NaN before the first block
 * @param p50Nanos      median
 * @param p99Nanos      99th percentile
 * @param p999Nanos     99.9th percentile
 * @param maxNanos      longest
 * @param budgetNanos   the budget per block
 * @param overruns      blocks that took longer than the budget
 */
public record LatencyStats(long blocks, double meanNanos, long p50Nanos, long p99Nanos, long p999Nanos, long maxNanos,
                           long budgetNanos, long overruns) {

    @Override
    public String toString() {
        return String.format(java.util.Locale.ROOT,
                "%d blocks, mean %.1f us, p50 %.1f us, p99 %.1f us, p99.9 %.1f us, max %.1f us, %d over the %.1f us"
                        + " budget", blocks, meanNanos / 1e3, p50Nanos / 1e3, p99Nanos / 1e3, p999Nanos / 1e3,
                maxNanos / 1e3, overruns, budgetNanos / 1e3);
    }
}
