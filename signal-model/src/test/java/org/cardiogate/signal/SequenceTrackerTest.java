package org.cardiogate.signal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SequenceTrackerTest {

    @Test
    void contiguousBlocksAreNeitherGapsNorDuplicates() {
        SequenceTracker t = new SequenceTracker(1000);
        assertThat(t.accept(0, 10)).isEqualTo(SequenceTracker.Result.CONTIGUOUS);
        assertThat(t.accept(10, 10)).isEqualTo(SequenceTracker.Result.CONTIGUOUS);
        assertThat(t.accept(20, 5)).isEqualTo(SequenceTracker.Result.CONTIGUOUS);
        assertThat(t.expected()).isEqualTo(25);
        assertThat(t.gaps()).isZero();
        assertThat(t.overlaps()).isZero();
        assertThat(t.resets()).isZero();
    }

    @Test
    void missingSamplesAreCountedAsAGapWithItsLength() {
        SequenceTracker t = new SequenceTracker(1000);
        t.accept(100, 10);
        assertThat(t.accept(117, 10)).isEqualTo(SequenceTracker.Result.GAP);
        assertThat(t.lastGapLength()).isEqualTo(7);
        assertThat(t.accept(130, 1)).isEqualTo(SequenceTracker.Result.GAP);
        assertThat(t.gaps()).isEqualTo(2);
        assertThat(t.lostSamples()).isEqualTo(10);
    }

    @Test
    void repeatedSamplesAreCountedAsDuplicates() {
        SequenceTracker t = new SequenceTracker(1000);
        t.accept(0, 10);
        assertThat(t.accept(5, 10)).isEqualTo(SequenceTracker.Result.OVERLAP);
        assertThat(t.lastOverlapLength()).isEqualTo(5);
        assertThat(t.expected()).isEqualTo(15);
        assertThat(t.accept(0, 10)).isEqualTo(SequenceTracker.Result.OVERLAP);
        assertThat(t.duplicateSamples()).isEqualTo(15);
        assertThat(t.expected()).isEqualTo(15);
    }

    @Test
    void aCounterThatJumpsFarBackIsASourceReset() {
        SequenceTracker t = new SequenceTracker(100);
        t.accept(5000, 10);
        assertThat(t.accept(0, 10)).isEqualTo(SequenceTracker.Result.RESET);
        assertThat(t.resets()).isEqualTo(1);
        assertThat(t.expected()).isEqualTo(10);
        assertThat(t.accept(10, 10)).isEqualTo(SequenceTracker.Result.CONTIGUOUS);
    }
}
