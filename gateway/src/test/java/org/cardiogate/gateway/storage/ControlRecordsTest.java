package org.cardiogate.gateway.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ControlRecordsTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-21T08:00:00Z"), ZoneOffset.UTC);

    @Test
    void acknowledgingAnAlarmRecordsWhoAndWhenAndWritesTheAuditLog(@TempDir Path dir) throws Exception {
        try (LocalStore s = LocalStore.open(dir, CLOCK)) {
            long id = s.alarms().raise("ecg", "VT", AlarmStore.Priority.HIGH, 123_456, "VT 180 bpm");
            assertThat(s.alarms().get(id)).get().satisfies(a -> {
                assertThat(a.state()).isEqualTo(AlarmStore.State.ACTIVE);
                assertThat(a.ackUser()).isNull();
            });

            assertThat(s.alarms().acknowledge(id, "nurse.ann")).isTrue();
            assertThat(s.alarms().acknowledge(id, "nurse.bob")).as("second acknowledgement").isFalse();

            AlarmStore.Alarm a = s.alarms().get(id).orElseThrow();
            assertThat(a.state()).isEqualTo(AlarmStore.State.ACKNOWLEDGED);
            assertThat(a.ackUser()).isEqualTo("nurse.ann");
            assertThat(a.ackAt()).isEqualTo(CLOCK.instant());
            assertThat(a.priority()).isEqualTo(AlarmStore.Priority.HIGH);
            assertThat(a.onsetSample()).isEqualTo(123_456);
            assertThat(s.audit().recent(10)).singleElement().satisfies(e -> {
                assertThat(e.user()).isEqualTo("nurse.ann");
                assertThat(e.action()).isEqualTo("alarm.ack");
                assertThat(e.detail()).isEqualTo("alarm " + id);
            });
        }
    }

    @Test
    void anAlarmClearedBeforeAcknowledgementStaysUnresolvedUntilAcknowledged(@TempDir Path dir) throws Exception {
        try (LocalStore s = LocalStore.open(dir, CLOCK)) {
            long pause = s.alarms().raise("ecg", "PAUSE", AlarmStore.Priority.HIGH, 10, "pause 3.2 s");
            long brady = s.alarms().raise("ecg", "BRADY", AlarmStore.Priority.MEDIUM, 20, "HR 38 bpm < 40 bpm");
            assertThat(s.alarms().clear(pause)).isTrue();
            assertThat(s.alarms().clear(pause)).isFalse();
            assertThat(s.alarms().unresolved()).extracting(AlarmStore.Alarm::id).containsExactly(brady, pause);

            s.alarms().acknowledge(pause, "dr.lee");
            assertThat(s.alarms().get(pause).orElseThrow().state()).isEqualTo(AlarmStore.State.CLEARED);
            assertThat(s.alarms().unresolved()).extracting(AlarmStore.Alarm::id).containsExactly(brady);
        }
    }

    @Test
    void acknowledgingAnUnknownAlarmChangesNothing(@TempDir Path dir) throws Exception {
        try (LocalStore s = LocalStore.open(dir, CLOCK)) {
            assertThat(s.alarms().acknowledge(42, "nurse.ann")).isFalse();
            assertThat(s.audit().recent(10)).isEmpty();
        }
    }

    @Test
    void configurationHistoryKeepsEveryDistinctVersionWithItsAuthor(@TempDir Path dir) throws Exception {
        String v1 = "gateway:\n  id: bed-1\n";
        String v2 = "gateway:\n  id: bed-2\n";
        try (LocalStore s = LocalStore.open(dir, CLOCK)) {
            long a = s.configHistory().save("system", v1);
            assertThat(s.configHistory().save("system", v1)).as("unchanged file at restart").isEqualTo(a);
            long b = s.configHistory().save("admin", v2);
            assertThat(b).isGreaterThan(a);
        }
        try (LocalStore s = LocalStore.open(dir, CLOCK)) {
            assertThat(s.configHistory().list()).extracting(ConfigHistory.Version::yaml).containsExactly(v2, v1);
            ConfigHistory.Version latest = s.configHistory().latest().orElseThrow();
            assertThat(latest.user()).isEqualTo("admin");
            assertThat(latest.sha256()).hasSize(64).isEqualTo(ConfigHistory.sha256(v2));
            assertThat(s.audit().recent(10)).extracting(AuditLog.Entry::action)
                    .containsExactly("config.save", "config.save");
        }
    }

    @Test
    void auditEntriesSurviveReopeningNewestFirst(@TempDir Path dir) throws Exception {
        try (LocalStore s = LocalStore.open(dir, CLOCK)) {
            s.audit().record("admin", "limits.change", "tachy 150 -> 140 bpm");
            s.audit().record("mqtt:central", "recording.start", "on demand");
        }
        try (LocalStore s = LocalStore.open(dir, CLOCK)) {
            assertThat(s.audit().recent(1)).singleElement()
                    .satisfies(e -> assertThat(e.action()).isEqualTo("recording.start"));
            assertThat(s.audit().recent(5)).extracting(AuditLog.Entry::detail)
                    .containsExactly("on demand", "tachy 150 -> 140 bpm");
        }
    }

    @Test
    void anEmptyUserIsRejectedNamingTheField(@TempDir Path dir) throws Exception {
        try (LocalStore s = LocalStore.open(dir, CLOCK)) {
            assertThatThrownBy(() -> s.audit().record(" ", "x", "y")).hasMessageContaining("user");
            assertThatThrownBy(() -> s.alarms().acknowledge(1, "")).hasMessageContaining("user");
        }
    }
}
