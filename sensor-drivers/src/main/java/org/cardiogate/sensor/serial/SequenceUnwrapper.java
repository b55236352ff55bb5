package org.cardiogate.sensor.serial;

/**
 * Turns a packet's wrapped sequence counter (modulo {@code M}) into the stream's continuous sample number.
 *
 * <p>Within one connection a packet starting {@code d = (counter - expected) mod M} samples ahead of the expected
 * number is a gap of {@code d} (0: contiguous), unless {@code d >= M - duplicateWindow}: the packet repeats samples
 * already seen and is dropped. After a reconnection the first packet is placed at the number congruent to its
 * counter nearest to the time-based estimate when that is within {@code tolerance} of it (the board kept counting:
 * the outage becomes an exact gap), else at the estimate itself (the board restarted its counter); never below the
 * first number not yet published. Allocation-free; owned by the acquisition thread.
 */
public final class SequenceUnwrapper {
    private final long modulus;
    private final long duplicateWindow;
    private long expected;
    private long expectedWrapped;
    private boolean placed;
    private long lower;
    private long estimate;
    private long tolerance;
    private boolean trustCounter;
    private long duplicates;

    /**
     * @param modulus         {@code 2^bits} of the counter
     * @param duplicateWindow how far behind the expected number a packet may start and still count as a duplicate
     */
    public SequenceUnwrapper(long modulus, long duplicateWindow) {
        if (modulus < 2 || Long.bitCount(modulus) != 1) {
            throw new IllegalArgumentException("sequence modulus must be a power of two >= 2, got " + modulus);
        }
        if (duplicateWindow < 1 || duplicateWindow > modulus / 2) {
            throw new IllegalArgumentException("duplicate window must be 1.." + modulus / 2 + ", got "
                    + duplicateWindow);
        }
        this.modulus = modulus;
        this.duplicateWindow = duplicateWindow;
    }

    /** The next packet is the first of the stream: it gets number {@code first}, whatever its counter says. */
    public void start(long first) {
        placed = false;
        lower = first;
        estimate = first;
        trustCounter = false;
    }

    /**
     * The next packet is the first after a reconnection.
     *
     * @param lowerBound the first number not yet published
     * @param estimate   the number the board should have reached by now, from the stream clock
     * @param tolerance  how far from {@code estimate} a counter-derived number is still believed
     */
    public void resume(long lowerBound, long estimate, long tolerance) {
        placed = false;
        this.lower = lowerBound;
        this.estimate = estimate;
        this.tolerance = tolerance;
        this.trustCounter = true;
    }

    /**
     * @param counter the packet's counter as sent
     * @param samples the packet's sample count
     * @return the sample number of the packet's first sample, or -1 when the packet is a duplicate
     */
    public long accept(long counter, int samples) {
        long c = counter & (modulus - 1);
        long first;
        if (!placed) {
            first = estimate;
            if (trustCounter) {
                // the number congruent to the board's count since the last packet, nearest to the estimate
                long target = estimate - expected;
                long d = Math.floorMod(c - expectedWrapped - target, modulus);
                long candidate = expected + target + (d <= modulus / 2 ? d : d - modulus);
                if (Math.abs(candidate - estimate) <= tolerance) {
                    first = candidate;
                }
            }
            first = Math.max(first, lower);
            placed = true;
        } else {
            long d = Math.floorMod(c - expectedWrapped, modulus);
            if (d >= modulus - duplicateWindow) {
                duplicates++;
                return -1;
            }
            first = expected + d;
        }
        expected = first + samples;
        expectedWrapped = (c + samples) & (modulus - 1);
        return first;
    }

    /** The number the next contiguous packet starts at. */
    public long expected() {
        return expected;
    }

    /** Packets dropped as duplicates. */
    public long duplicates() {
        return duplicates;
    }
}
