package org.cardiogate.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;

import org.cardiogate.signal.CardiacEvent;
import org.cardiogate.signal.EventType;
import org.junit.jupiter.api.Test;

class RhythmMonitorTest {
    private static final double FS = 500;
    private final List<CardiacEvent> events = new ArrayList<>();
    private final RhythmMonitor monitor = new RhythmMonitor("ecg", FS, RhythmLimits.ADULT_DEFAULTS,
            s -> s * 2_000_000L, events::add);

    /** Feeds beats at a constant rate for a duration and returns the next beat's sample. */
    private long beats(long start, double bpm, double seconds) {
        long rr = Math.round(60.0 / bpm * FS);
        long s = start;
        for (; s < start + seconds * FS; s += rr) {
            monitor.onBeat(s, bpm);
            monitor.onTime(s + rr / 2);
        }
        return s;
    }

    @Test
    void normalSinusRhythmRaisesNothing() {
        long end = beats(0, 72, 120);
        monitor.finish(end);
        assertThat(events).isEmpty();
    }

    @Test
    void sustainedBradycardiaIsRaisedAtOnsetAndClosedWhenTheRateRecovers() {
        long s = beats(0, 70, 20);
        long bradyStart = s;
        s = beats(s, 35, 30);
        long recovered = s;
        s = beats(s, 70, 20);
        monitor.finish(s);
        assertThat(events).extracting(CardiacEvent::type).containsExactly(EventType.BRADY, EventType.BRADY);
        CardiacEvent open = events.get(0);
        CardiacEvent closed = events.get(1);
        assertThat(open.isOngoing()).isTrue();
        assertThat(open.onsetSample()).isEqualTo(bradyStart);
        assertThat(closed.onsetSample()).isEqualTo(bradyStart);
        assertThat(closed.offsetSample()).isEqualTo(recovered);
        assertThat(closed.timestampNanos()).isEqualTo(bradyStart * 2_000_000L);
    }

    @Test
    void aShortBurstBelowTheSustainTimeIsNotAnAlarm() {
        long s = beats(0, 70, 20);
        s = beats(s, 160, 2);
        s = beats(s, 70, 20);
        monitor.finish(s);
        assertThat(events).isEmpty();
    }

    @Test
    void tachycardiaStillGoingAtTheEndIsClosedThere() {
        long s = beats(0, 70, 10);
        long onset = s;
        s = beats(s, 180, 30);
        monitor.finish(s);
        assertThat(events).extracting(CardiacEvent::type).containsExactly(EventType.TACHY, EventType.TACHY);
        assertThat(events.get(1).onsetSample()).isEqualTo(onset);
        assertThat(events.get(1).offsetSample()).isEqualTo(s);
    }

    @Test
    void aLongRrIntervalIsAPauseBetweenTheTwoBeats() {
        monitor.onBeat(1000, 70);
        monitor.onBeat(1000 + (long) (3.5 * FS), 60);
        assertThat(events).singleElement().satisfies(e -> {
            assertThat(e.type()).isEqualTo(EventType.PAUSE);
            assertThat(e.onsetSample()).isEqualTo(1000);
            assertThat(e.offsetSample()).isEqualTo(1000 + 1750);
        });
    }

    @Test
    void asystoleIsRaisedWhileNoBeatComesNotWhenTheNextBeatArrives() {
        monitor.onBeat(0, 70);
        monitor.onTime((long) (3.9 * FS));
        assertThat(events).isEmpty();
        monitor.onTime((long) (4.0 * FS));
        assertThat(events).singleElement().satisfies(e -> {
            assertThat(e.type()).isEqualTo(EventType.ASYSTOLE);
            assertThat(e.isOngoing()).isTrue();
        });
        monitor.onTime((long) (6 * FS));
        monitor.onBeat((long) (8 * FS), 8);
        assertThat(events).hasSize(2);
        assertThat(events.get(1).offsetSample()).isEqualTo((long) (8 * FS));
    }

    @Test
    void limitsAreValidatedNamingTheField() {
        assertThatThrownBy(() -> new RhythmLimits(80, 70, 3, 4, 4, 5)).hasMessageContaining("alarms.bradyBpm");
        assertThatThrownBy(() -> new RhythmLimits(40, 150, 0.5, 4, 4, 5)).hasMessageContaining("alarms.pauseSeconds");
        assertThatThrownBy(() -> new RhythmLimits(Double.NaN, 150, 3, 4, 4, 5)).hasMessageContaining("alarms.bradyBpm");
    }
}
