package org.cardiogate.inference.alarm;

/**
 * Time limits of the alarm system, in nanoseconds of the monotonic clock.
 *
 * @param audioPausedNanos    how long {@link AlarmManager#pauseAudio} silences an alarm (IEC 60601-1-8 AUDIO
 *                            PAUSED); audio resumes after it if the alarm is still there
 * @param acknowledgedNanos   how long an acknowledgement silences an alarm whose condition persists; after it the
 *                            alarm sounds again (0: for as long as the condition lasts)
 * @param escalateAfterNanos  an alarm neither acknowledged nor paused for this long is raised one priority
 *                            (0: never)
 */
public record AlarmPolicy(long audioPausedNanos, long acknowledgedNanos, long escalateAfterNanos) {
    /** Audio paused 2 min, acknowledgement 5 min, escalation after 60 s. */
    public static final AlarmPolicy DEFAULTS = new AlarmPolicy(120_000_000_000L, 300_000_000_000L, 60_000_000_000L);

    public AlarmPolicy {
        if (audioPausedNanos <= 0 || audioPausedNanos > 600_000_000_000L) {
            throw new IllegalArgumentException("alarms.audioPaused must be between 0 and 10 min, got "
                    + audioPausedNanos / 1e9 + " s");
        }
        if (acknowledgedNanos < 0 || escalateAfterNanos < 0) {
            throw new IllegalArgumentException("alarms.acknowledged and alarms.escalateAfter must not be negative");
        }
    }
}
