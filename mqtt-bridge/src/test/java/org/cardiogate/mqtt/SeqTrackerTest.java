package org.cardiogate.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import org.cardiogate.mqtt.SeqTracker.Verdict;
import org.junit.jupiter.api.Test;

class SeqTrackerTest {
    @Test
    void tellsNewLateAndDuplicateMessagesApartAndKeepsTheGaps() {
        SeqTracker t = new SeqTracker();
        assertThat(t.accept(5)).isEqualTo(Verdict.NEW);
        assertThat(t.accept(6)).isEqualTo(Verdict.NEW);
        assertThat(t.accept(10)).isEqualTo(Verdict.NEW);
        assertThat(t.lastGap()).isEqualTo(3);
        assertThat(t.missingCount()).isEqualTo(3);
        assertThat(t.describeMissing(5)).isEqualTo("7-9");
        assertThat(t.accept(8)).isEqualTo(Verdict.LATE);
        assertThat(t.describeMissing(5)).isEqualTo("7,9");
        assertThat(t.accept(8)).isEqualTo(Verdict.DUPLICATE);
        assertThat(t.accept(6)).isEqualTo(Verdict.DUPLICATE);
        assertThat(t.accept(7)).isEqualTo(Verdict.LATE);
        assertThat(t.accept(9)).isEqualTo(Verdict.LATE);
        assertThat(t.missingCount()).isZero();
        assertThat(t.accept(3)).as("older than the first seen").isEqualTo(Verdict.LATE);
        assertThat(t.describeMissing(5)).isEqualTo("4");
        assertThat(t.uniqueCount()).isEqualTo(7);
        assertThat(t.duplicateCount()).isEqualTo(2);
    }
}
