package org.cardiogate.signal;

/**
 * Checks the sample sequence numbers of one stream as its blocks arrive and counts what went wrong: gaps (samples
 * the source counted but that never arrived), duplicates or overlaps (samples that arrived twice) and resets (the
 * source's counter went back, for example after a chip reset). Allocation-free; owned by the consuming thread.
 */
public final class SequenceTracker {
    /** What {@link #accept(long, int)} found. */
    public enum Result {
        /** The block starts where the previous one ended (or is the first). */
        CONTIGUOUS,
        /** Samples are missing before this block; see {@link #lastGapLength()}. */
        GAP,
        /** The block repeats samples already seen; see {@link #lastOverlapLength()}. */
        OVERLAP,
        /** The counter went back by more than the overlap window: the source restarted. */
        RESET
    }

    private final long resetThreshold;
    private long expected = Long.MIN_VALUE;
    private long gaps;
    private long lostSamples;
    private long overlaps;
    private long duplicateSamples;
    private long resets;
    private long lastGapLength;
    private long lastOverlapLength;

    /**
     * @param resetThreshold a counter that goes back by more than this many samples is taken as a source reset,
     *                       not a duplicate
     */
    public SequenceTracker(long resetThreshold) {
        if (resetThreshold <= 0) {
            throw new IllegalArgumentException("reset threshold must be positive");
        }
        this.resetThreshold = resetThreshold;
    }

    /** Checks a block that starts at {@code firstSequence} and holds {@code length} samples. */
    public Result accept(long firstSequence, int length) {
        Result r;
        if (expected == Long.MIN_VALUE || firstSequence == expected) {
            r = Result.CONTIGUOUS;
        } else if (firstSequence > expected) {
            lastGapLength = firstSequence - expected;
            gaps++;
            lostSamples += lastGapLength;
            r = Result.GAP;
        } else if (expected - firstSequence > resetThreshold) {
            resets++;
            r = Result.RESET;
        } else {
            lastOverlapLength = Math.min(expected - firstSequence, length);
            overlaps++;
            duplicateSamples += lastOverlapLength;
            r = Result.OVERLAP;
        }
        long end = firstSequence + length;
        if (r == Result.RESET || end > expected) {
            expected = end;
        }
        return r;
    }

    /** The sequence number expected next, or {@link Long#MIN_VALUE} before the first block. */
    public long expected() {
        return expected;
    }

    public long gaps() {
        return gaps;
    }

    public long lostSamples() {
        return lostSamples;
    }

    public long overlaps() {
        return overlaps;
    }

    public long duplicateSamples() {
        return duplicateSamples;
    }

    public long resets() {
        return resets;
    }

    public long lastGapLength() {
        return lastGapLength;
    }

    public long lastOverlapLength() {
        return lastOverlapLength;
    }
}
