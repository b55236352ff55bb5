package org.cardiogate.sensor.acquisition;

import org.cardiogate.sensor.timing.StreamClock;
import org.cardiogate.signal.BlockRing;
import org.cardiogate.signal.SampleBlock;
import org.cardiogate.signal.StreamDescriptor;

/**
 * Packs frames into blocks of one stream and publishes them into its ring. A block ends when it is full or when
 * the next frame's sequence number does not follow (a gap), so every block is contiguous. When the ring is full the
 * block is filled into a scratch block and dropped (the ring counts the overrun): acquisition never waits.
 * Allocation-free; acquisition thread only.
 */
public final class StreamWriter {
    private final StreamDescriptor stream;
    private final BlockRing ring;
    private final SampleBlock scratch;
    private final int blockSamples;
    private SampleBlock current;
    private boolean currentDropped;
    private volatile long publishedSamples;
    private volatile long droppedSamples;

    public StreamWriter(StreamDescriptor stream, int ringSlots, int blockSamples) {
        this.stream = stream;
        this.blockSamples = blockSamples;
        this.ring = new BlockRing(stream, ringSlots, blockSamples);
        this.scratch = new SampleBlock(stream, blockSamples);
    }

    public StreamDescriptor stream() {
        return stream;
    }

    public BlockRing ring() {
        return ring;
    }

    /** Appends one frame with sequence number {@code seq}, timestamping a new block with {@code clock}. */
    public void put(long seq, double[] frame, StreamClock clock) {
        if (current != null && seq != current.nextSequence()) {
            flush();
        }
        if (current == null) {
            SampleBlock b = ring.claim();
            currentDropped = b == null;
            current = currentDropped ? scratch : b;
            current.begin(seq, clock.timestampOf(seq));
        }
        current.append(frame);
        if (current.length() == blockSamples) {
            flush();
        }
    }

    /** Publishes the block being filled, if any (on a gap, a fault or at shutdown). */
    public void flush() {
        if (current == null) {
            return;
        }
        int n = current.length();
        if (n > 0) {
            if (currentDropped) {
                droppedSamples += n;
            } else {
                ring.publish();
                publishedSamples += n;
            }
        }
        current = null;
    }

    /** Samples handed to the consumer so far (any thread). */
    public long publishedSamples() {
        return publishedSamples;
    }

    /** Samples dropped because the ring was full (any thread). */
    public long droppedSamples() {
        return droppedSamples;
    }
}
