package org.cardiogate.dsp.fusion.window;

import org.cardiogate.signal.SampleBlock;

/**
 * The recent samples of one stream with the monotonic time of each, for analyses that look back over a window
 * (pulse and SCG fiducials). Sample times come from each block's {@link SampleBlock#timestampNanos()} plus the
 * nominal period per sample, so streams on separate clocks meet on the common monotonic axis, not by sample index.
 *
 * <p>Positions are absolute (0 = first sample appended since construction) and the ring keeps the newest
 * {@link #capacity()} of them. A block that does not start at the sequence number expected (a gap or a restart)
 * clears the ring first, so no window spans a gap. Allocation-free after construction; not thread-safe.
 */
public final class TimedRing {
    private final int[] channels;
    private final double[][] values;
    private final long[] times;
    private final int mask;
    private long end;
    private long start;
    private long nextSequence = Long.MIN_VALUE;

    /**
     * @param channels the block channels to keep, in the order they are read back ({@link #copy})
     * @param minCapacity samples to keep at least (rounded up to a power of two)
     */
    public TimedRing(int[] channels, int minCapacity) {
        int cap = Integer.highestOneBit(Math.max(16, minCapacity - 1)) << 1;
        this.channels = channels.clone();
        this.values = new double[channels.length][cap];
        this.times = new long[cap];
        this.mask = cap - 1;
    }

    /** Appends a block; returns true if it did not continue the previous one (the ring was cleared). */
    public boolean append(SampleBlock block) {
        int len = block.length();
        boolean broken = nextSequence != Long.MIN_VALUE && block.firstSequence() != nextSequence;
        if (broken) {
            clear();
        }
        nextSequence = block.firstSequence() + len;
        double period = 1e9 / block.stream().nominalRateHz();
        long t0 = block.timestampNanos();
        for (int c = 0; c < channels.length; c++) {
            double[] src = block.channel(channels[c]);
            double[] dst = values[c];
            for (int i = 0; i < len; i++) {
                dst[(int) ((end + i) & mask)] = src[i];
            }
        }
        for (int i = 0; i < len; i++) {
            times[(int) ((end + i) & mask)] = t0 + Math.round(i * period);
        }
        end += len;
        if (end - start > times.length) {
            start = end - times.length;
        }
        return broken;
    }

    /** Forgets every sample (positions keep counting). */
    public void clear() {
        start = end;
        nextSequence = Long.MIN_VALUE;
    }

    public int capacity() {
        return times.length;
    }

    /** Position of the oldest sample kept. */
    public long start() {
        return start;
    }

    /** Position after the newest sample. */
    public long end() {
        return end;
    }

    public boolean isEmpty() {
        return end == start;
    }

    /** Time of the sample at {@code position} (must be kept), nanoseconds. */
    public long time(long position) {
        return times[(int) (position & mask)];
    }

    /** Time of the newest sample, or {@link Long#MIN_VALUE} when empty. */
    public long newestTime() {
        return end == start ? Long.MIN_VALUE : times[(int) ((end - 1) & mask)];
    }

    /** Time at a fractional position, interpolated between the neighbouring samples' times, nanoseconds. */
    public double timeAt(double position) {
        long p = (long) Math.floor(position);
        double f = position - p;
        if (p >= end - 1) {
            return time(end - 1) + (position - (end - 1)) * (time(end - 1) - time(Math.max(start, end - 2)));
        }
        long t0 = time(p);
        return t0 + f * (time(p + 1) - t0);
    }

    /** The first kept position whose time is at or after {@code nanos} ({@link #end()} if none). */
    public long positionAtOrAfter(long nanos) {
        long lo = start;
        long hi = end;
        while (lo < hi) {
            long mid = (lo + hi) >>> 1;
            if (time(mid) < nanos) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** Copies {@code len} samples of kept channel {@code channel} from {@code position} into {@code dst[0..len)}. */
    public void copy(int channel, long position, int len, double[] dst) {
        if (position < start || position + len > end) {
            throw new IllegalArgumentException("positions " + position + ".." + (position + len) + " not kept ("
                    + start + ".." + end + ")");
        }
        double[] src = values[channel];
        for (int i = 0; i < len; i++) {
            dst[i] = src[(int) ((position + i) & mask)];
        }
    }

    /** The value of kept channel {@code channel} at {@code position}. */
    public double value(int channel, long position) {
        return values[channel][(int) (position & mask)];
    }
}
