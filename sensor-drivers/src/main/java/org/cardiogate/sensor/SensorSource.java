package org.cardiogate.sensor;

import java.util.List;

import org.cardiogate.signal.BlockRing;
import org.cardiogate.signal.StreamDescriptor;

/**
 * Anything that produces sample streams: a chip driver, a serial board, the simulator, a file replay.
 *
 * <p>Threading: {@link #start()} starts the source's own acquisition thread(s), which publish blocks into the
 * rings returned by {@link #ring(String)} and never wait for their consumer (a full ring is an overrun, counted by
 * the ring, and the lost samples show up downstream as a sequence gap). The DSP thread is the only consumer of the
 * rings. {@link #close()} stops acquisition and joins the threads.
 */
public interface SensorSource extends AutoCloseable {

    /** The streams this source produces, fixed before {@link #start()}. */
    List<StreamDescriptor> streams();

    /** The ring carrying the blocks of one stream. */
    BlockRing ring(String streamId);

    /**
     * Lead-off state of a stream's electrodes, by electrode name in the chip's order (e.g. {@code IN1P}), true when
     * off; empty when the source cannot tell (the default). Any thread; allocates (status pages, not the hot path).
     */
    default java.util.Map<String, Boolean> electrodesOff(String streamId) {
        return java.util.Map.of();
    }

    /** Starts acquisition. */
    void start();

    /** Stops acquisition and releases the hardware. Idempotent. */
    @Override
    void close();
}
