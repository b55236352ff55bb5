package org.cardiogate.ui;

import java.util.List;

/**
 * The gateway's alarm system as the page sees it. Implemented by the gateway; called from HTTP request threads
 * (virtual threads, several at once), so implementations must be thread-safe and must not block for long.
 */
public interface AlarmControl {
    /** An alarm system that is not connected: nothing active, every action refused. */
    AlarmControl NONE = new AlarmControl() {
        @Override
        public List<ActiveAlarm> active() {
            return List.of();
        }

        @Override
        public ActionResult acknowledge(String alarmId, String user) {
            return ActionResult.refused("no alarm system is connected to the page");
        }

        @Override
        public ActionResult silence(String alarmId, String user) {
            return ActionResult.refused("no alarm system is connected to the page");
        }
    };

    /** Alarms active or latched now, highest priority first. */
    List<ActiveAlarm> active();

    /** Acknowledges the alarm on behalf of {@code user}; refused with a reason when the id is unknown. */
    ActionResult acknowledge(String alarmId, String user);

    /** Pauses the alarm's sound (IEC 60601-1-8 "audio paused", two minutes at the bedside) on behalf of {@code user}. */
    ActionResult silence(String alarmId, String user);
}
