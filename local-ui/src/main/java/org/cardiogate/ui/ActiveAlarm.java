package org.cardiogate.ui;

import java.time.Instant;
import java.util.Objects;

/**
 * One alarm condition the gateway has active now, as the page lists it.
 *
 * @param id           stable while the alarm lasts; used in {@code POST /api/alarms/{id}/ack} (letters, digits,
 *                     {@code _ . -} only)
 * @param priority     IEC 60601-1-8 priority
 * @param condition    what is alarming, e.g. {@code "TACHY"}, {@code "ASYSTOLE"}, {@code "LEAD_OFF"}
 * @param streamId     the stream it concerns
 * @param onset        wall-clock time of the onset, for people
 * @param onsetSample  the onset's sample in the stream's own counter (to find the evidence), or -1
 * @param latched      whether it stays listed after the condition ended until it is acknowledged
 * @param acknowledged whether a user has acknowledged it
 * @param silenced     whether its sound is paused now
 * @param detail       short explanation, e.g. {@code "HR 152 bpm > 150 bpm"}
 */
public record ActiveAlarm(String id, AlarmPriority priority, String condition, String streamId, Instant onset,
                          long onsetSample, boolean latched, boolean acknowledged, boolean silenced, String detail) {
    public ActiveAlarm {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(priority, "priority");
        Objects.requireNonNull(condition, "condition");
        Objects.requireNonNull(onset, "onset");
        if (!id.matches("[A-Za-z0-9_.-]+")) {
            throw new IllegalArgumentException("alarm id '" + id + "' must use only letters, digits, '_', '.', '-'");
        }
        streamId = streamId == null ? "" : streamId;
        detail = detail == null ? "" : detail;
    }
}
