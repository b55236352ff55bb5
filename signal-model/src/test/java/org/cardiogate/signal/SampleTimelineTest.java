package org.cardiogate.signal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

class SampleTimelineTest {

    @Test
    void timestampsFollowTheNominalRateFromTheAnchor() {
        SampleTimeline t = new SampleTimeline(500, 1000, 7_000_000_000L);
        assertThat(t.timestampOf(1000)).isEqualTo(7_000_000_000L);
        assertThat(t.timestampOf(1500)).isEqualTo(8_000_000_000L);
        assertThat(t.timestampOf(1001)).isEqualTo(7_002_000_000L);
        assertThat(t.timestampOf(0)).isEqualTo(5_000_000_000L);
        assertThat(t.sampleAt(8_000_000_000L)).isEqualTo(1500);
        assertThat(t.sampleAt(7_002_900_000L)).isEqualTo(1001);
    }

    @Test
    void reanchoringChangesRateWithoutJumpAtTheAnchor() {
        SampleTimeline t = new SampleTimeline(360, 0, 0);
        long at = t.timestampOf(36_000);
        t.reanchor(360.036, 36_000, at);
        assertThat(t.timestampOf(36_000)).isEqualTo(at);
        assertThat(t.timestampOf(72_000) - at).isLessThan(100_000_000_000L).isGreaterThan(99_980_000_000L);
    }

    @Test
    void rateMustBePositive() {
        assertThatThrownBy(() -> new SampleTimeline(0, 0, 0)).hasMessageContaining("positive");
        assertThatThrownBy(() -> new SampleTimeline(Double.NaN, 0, 0)).hasMessageContaining("positive");
    }

    @Test
    void aManualClockNeverGoesBack() {
        ManualClock c = new ManualClock(10);
        c.advanceNanos(5);
        assertThat(c.nanoTime()).isEqualTo(15);
        assertThatThrownBy(() -> c.set(3)).hasMessageContaining("cannot go back");
        assertThatThrownBy(() -> c.advanceNanos(-1)).hasMessageContaining("cannot go back");
    }

    @Test
    void streamDescriptorsRejectNamesThatCannotBeTopicLevels() {
        assertThatThrownBy(() -> new StreamDescriptor("ecg/1", "x", Modality.ECG, List.of(new Channel("I", "mV")), 500))
                .hasMessageContaining("ecg/1");
        assertThatThrownBy(() -> new StreamDescriptor("ecg", "x", Modality.ECG, List.of(), 500))
                .hasMessageContaining("no channels");
        assertThatThrownBy(() -> new StreamDescriptor("ecg", "x", Modality.ECG, List.of(new Channel("I", "mV")), -5))
                .hasMessageContaining("nominal rate");
    }

    @Test
    void aBlockAppendsFramesUntilFullAndRemembersItsPosition() {
        StreamDescriptor s = new StreamDescriptor("ecg", "x", Modality.ECG,
                List.of(new Channel("I", "mV"), new Channel("II", "mV")), 500);
        SampleBlock b = new SampleBlock(s, 2).begin(40, 80_000_000L);
        assertThat(b.append(new double[] {1, 2})).isTrue();
        assertThat(b.append(new double[] {3, 4})).isTrue();
        assertThat(b.append(new double[] {5, 6})).isFalse();
        assertThat(b.nextSequence()).isEqualTo(42);
        assertThat(b.channel(1)).startsWith(2.0, 4.0);
        SampleBlock copy = new SampleBlock(s, 4);
        copy.copyFrom(b);
        assertThat(copy.firstSequence()).isEqualTo(40);
        assertThat(copy.get(0, 1)).isEqualTo(3.0);
    }
}
