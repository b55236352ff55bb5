package org.cardiogate.sensor.bus;

/**
 * A data-ready (or FIFO interrupt) input that counts its active edges. Counting in the edge handler, rather than
 * polling the level, lets a driver that fell behind see how many conversions it missed.
 *
 * <p>Threading: {@link #awaitEdge(long)} and {@link #lastEdgeNanos()} are called by one acquisition thread.
 */
public interface DataReadyLine extends AutoCloseable {

    /**
     * Waits until the edge count exceeds the count returned by the previous call (of this method or {@link #edges()}) (returns at once if it already
     * does), or until {@code timeoutNanos} of host time have passed.
     *
     * @return the total number of edges since the line was opened, or {@code -1} on timeout
     * @throws InterruptedException when the acquisition thread is being stopped
     */
    long awaitEdge(long timeoutNanos) throws InterruptedException;

    /** Edges counted so far, without waiting; a later {@link #awaitEdge} waits for a newer one. */
    long edges();

    /** Host monotonic time at which the most recent edge was observed, in ns (same clock as the driver's). */
    long lastEdgeNanos();

    @Override
    void close();
}
