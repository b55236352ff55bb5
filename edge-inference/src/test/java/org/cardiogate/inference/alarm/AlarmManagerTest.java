package org.cardiogate.inference.alarm;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.cardiogate.signal.CardiacEvent;
import org.cardiogate.signal.EventType;
import org.cardiogate.signal.ManualClock;
import org.junit.jupiter.api.Test;

class AlarmManagerTest {
    private static final long S = 1_000_000_000L;
    private final ManualClock clock = new ManualClock(0);
    private final List<AlarmView> published = new ArrayList<>();
    private final AlarmManager alarms = new AlarmManager(clock, new AlarmPolicy(120 * S, 300 * S, 60 * S),
            published::add);

    private static CardiacEvent onset(EventType t, long sample) {
        return new CardiacEvent("ecg", t, sample, -1, sample * 4_000_000L, "onset");
    }

    private static CardiacEvent closed(EventType t, long onset, long offset) {
        return new CardiacEvent("ecg", t, onset, offset, onset * 4_000_000L, "closed");
    }

    @Test
    void aRepeatedConditionIsOneAlarmWithTheFirstOnsetAndAllTheEvidence() {
        alarms.onEvent(onset(EventType.TACHY, 1000), new long[] {900, 950, 1000});
        alarms.onEvent(onset(EventType.TACHY, 1500), new long[] {1000, 1500});
        assertThat(alarms.alarms()).hasSize(1);
        AlarmView a = alarms.alarms().get(0);
        assertThat(a.id()).isEqualTo("ecg:TACHY:1000");
        assertThat(a.onsetSample()).isEqualTo(1000);
        assertThat(a.onsetNanos()).isEqualTo(4_000_000_000L);
        assertThat(a.evidence()).containsExactly(900, 950, 1000, 1500);
        assertThat(a.priority()).isEqualTo(AlarmPriority.MEDIUM);
        assertThat(a.technical()).isFalse();
    }

    @Test
    void aNonLatchingAlarmEndsWithItsCondition() {
        alarms.onEvent(onset(EventType.BRADY, 10), new long[0]);
        assertThat(alarms.audibleSignal()).isEqualTo(AlarmPriority.MEDIUM);
        alarms.onEvent(closed(EventType.BRADY, 10, 900), new long[0]);
        assertThat(alarms.alarms()).isEmpty();
        assertThat(alarms.audibleSignal()).isNull();
    }

    @Test
    void aLatchingAlarmStaysAfterItsConditionEndsUntilReset() {
        alarms.onEvent(onset(EventType.VT, 100), new long[] {100, 150, 200, 250});
        String id = alarms.alarms().get(0).id();
        assertThat(alarms.reset(id)).as("cannot reset while the condition lasts").isFalse();
        alarms.onEvent(closed(EventType.VT, 100, 400), new long[0]);
        assertThat(alarms.alarms()).singleElement().satisfies(a -> {
            assertThat(a.conditionActive()).isFalse();
            assertThat(a.audible()).isTrue();
            assertThat(a.priority()).isEqualTo(AlarmPriority.HIGH);
        });
        assertThat(alarms.reset(id)).isTrue();
        assertThat(alarms.alarms()).isEmpty();
        assertThat(alarms.audibleSignal()).isNull();
    }

    @Test
    void anUnacknowledgedAlarmEscalatesAfterTheLimitAndAnAcknowledgedOneDoesNot() {
        alarms.onEvent(onset(EventType.AF, 0), new long[0]);
        alarms.onEvent(onset(EventType.LEAD_OFF, 0), new long[0]);
        String leadOff = "ecg:LEAD_OFF:0";
        assertThat(alarms.acknowledge(leadOff)).isTrue();
        clock.advanceNanos(59 * S);
        alarms.tick();
        assertThat(priorityOf(EventType.AF)).isEqualTo(AlarmPriority.MEDIUM);
        clock.advanceNanos(1 * S);
        alarms.tick();
        assertThat(priorityOf(EventType.AF)).isEqualTo(AlarmPriority.HIGH);
        assertThat(priorityOf(EventType.LEAD_OFF)).isEqualTo(AlarmPriority.MEDIUM);
        clock.advanceNanos(120 * S);
        alarms.tick();
        assertThat(priorityOf(EventType.AF)).as("high is the top").isEqualTo(AlarmPriority.HIGH);
    }

    @Test
    void acknowledgementSilencesUntilItsTimeLimitWhileTheConditionPersists() {
        alarms.onEvent(onset(EventType.ASYSTOLE, 0), new long[] {0});
        String id = alarms.alarms().get(0).id();
        alarms.acknowledge(id);
        assertThat(alarms.audibleSignal()).isNull();
        assertThat(alarms.alarms().get(0).acknowledged()).isTrue();
        clock.advanceNanos(299 * S);
        alarms.tick();
        assertThat(alarms.audibleSignal()).isNull();
        clock.advanceNanos(1 * S);
        alarms.tick();
        assertThat(alarms.audibleSignal()).isEqualTo(AlarmPriority.HIGH);
        assertThat(alarms.alarms().get(0).acknowledged()).isFalse();
    }

    @Test
    void pausedAudioResumesAfterTheAudioPausedTime() {
        alarms.onEvent(onset(EventType.TACHY, 0), new long[0]);
        alarms.pauseAudio();
        assertThat(alarms.audibleSignal()).isNull();
        clock.advanceNanos(119 * S);
        alarms.tick();
        assertThat(alarms.audibleSignal()).isNull();
        assertThat(priorityOf(EventType.TACHY)).as("no escalation while paused").isEqualTo(AlarmPriority.MEDIUM);
        clock.advanceNanos(1 * S);
        assertThat(alarms.audibleSignal()).isEqualTo(AlarmPriority.MEDIUM);
    }

    @Test
    void aPauseReportedOnlyClosedStillAnnouncesItselfOnce() {
        alarms.onEvent(closed(EventType.PAUSE, 100, 1000), new long[] {100, 1000});
        assertThat(published).singleElement().satisfies(a -> {
            assertThat(a.type()).isEqualTo(EventType.PAUSE);
            assertThat(a.evidence()).containsExactly(100, 1000);
        });
        assertThat(alarms.alarms()).isEmpty();
    }

    @Test
    void aLatchedAlarmWhoseConditionReturnsSoundsAgainUnderTheSameId() {
        alarms.onEvent(onset(EventType.VT, 100), new long[0]);
        String id = alarms.alarms().get(0).id();
        alarms.acknowledge(id);
        alarms.onEvent(closed(EventType.VT, 100, 400), new long[0]);
        alarms.onEvent(onset(EventType.VT, 900), new long[0]);
        assertThat(alarms.alarms()).singleElement().satisfies(a -> {
            assertThat(a.id()).isEqualTo(id);
            assertThat(a.audible()).isTrue();
            assertThat(a.conditionActive()).isTrue();
        });
    }

    private AlarmPriority priorityOf(EventType t) {
        return alarms.alarms().stream().filter(a -> a.type() == t).findFirst().orElseThrow().priority();
    }
}
