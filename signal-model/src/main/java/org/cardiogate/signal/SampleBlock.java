package org.cardiogate.signal;

import java.util.Objects;

/**
 * A block of consecutive samples of one stream, channel-major, in physical units.
 *
 * <p>Blocks are preallocated and reused: a producer fills one, hands it over through a {@link BlockRing}, and the
 * consumer reads it and releases it. Nothing here allocates after construction.
 *
 * <p>{@link #firstSequence()} is the stream's sample counter for sample 0 of the block, counted by the source
 * (data-ready edges, FIFO counts, packet numbers), so that a consumer can tell a gap (the next block does not start
 * at {@link #nextSequence()}) from a slow producer. {@link #timestampNanos()} is the monotonic time of sample 0.
 *
 * <p>Not thread-safe: owned by one thread at a time.
 */
public final class SampleBlock {
    private final StreamDescriptor stream;
    private final double[][] data;
    private int length;
    private long firstSequence;
    private long timestampNanos;

    public SampleBlock(StreamDescriptor stream, int capacity) {
        this.stream = Objects.requireNonNull(stream, "stream");
        if (capacity <= 0) {
            throw new IllegalArgumentException("block capacity must be positive, got " + capacity);
        }
        this.data = new double[stream.channelCount()][capacity];
    }

    public StreamDescriptor stream() {
        return stream;
    }

    public int capacity() {
        return data[0].length;
    }

    public int channelCount() {
        return data.length;
    }

    /** Number of valid samples per channel. */
    public int length() {
        return length;
    }

    public long firstSequence() {
        return firstSequence;
    }

    /** The sequence number the next block of this stream is expected to start at. */
    public long nextSequence() {
        return firstSequence + length;
    }

    public long timestampNanos() {
        return timestampNanos;
    }

    /** The backing array of one channel; valid entries are {@code [0, length())}. */
    public double[] channel(int channel) {
        return data[channel];
    }

    public double get(int channel, int index) {
        return data[channel][index];
    }

    public void set(int channel, int index, double value) {
        data[channel][index] = value;
    }

    /** Starts a new block: sets its position in the stream and empties it. */
    public SampleBlock begin(long firstSequence, long timestampNanos) {
        this.firstSequence = firstSequence;
        this.timestampNanos = timestampNanos;
        this.length = 0;
        return this;
    }

    /** Sets the number of valid samples. */
    public void setLength(int length) {
        if (length < 0 || length > capacity()) {
            throw new IllegalArgumentException("length " + length + " outside [0, " + capacity() + "]");
        }
        this.length = length;
    }

    /** Appends one frame (one value per channel) and returns false when the block is full. */
    public boolean append(double[] frame) {
        if (length == capacity()) {
            return false;
        }
        for (int c = 0; c < data.length; c++) {
            data[c][length] = frame[c];
        }
        length++;
        return true;
    }

    public boolean isFull() {
        return length == capacity();
    }

    /** Copies position, timestamp and samples of another block of the same shape. */
    public void copyFrom(SampleBlock other) {
        if (other.channelCount() != channelCount() || other.length > capacity()) {
            throw new IllegalArgumentException("cannot copy a block of " + other.channelCount() + "x" + other.length
                    + " into one of " + channelCount() + "x" + capacity());
        }
        for (int c = 0; c < data.length; c++) {
            System.arraycopy(other.data[c], 0, data[c], 0, other.length);
        }
        this.length = other.length;
        this.firstSequence = other.firstSequence;
        this.timestampNanos = other.timestampNanos;
    }

    @Override
    public String toString() {
        return "SampleBlock[" + stream.streamId() + " seq=" + firstSequence + " len=" + length + " t=" + timestampNanos + "ns]";
    }
}
