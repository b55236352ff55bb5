package org.cardiogate.ui;

import java.util.Objects;

/**
 * What the gateway plugs into the page. Start from {@link #NONE} and add what exists with the {@code with...}
 * methods; whatever is missing shows as empty and refuses actions with a reason.
 */
public record UiHooks(AlarmControl alarms, StatusSource status, ConfigControl config, RecordingControl recordings,
                      Readiness readiness, OneTimePasswordNotice passwordNotice) {
    public static final UiHooks NONE = new UiHooks(AlarmControl.NONE, StatusSource.NONE, ConfigControl.NONE,
            RecordingControl.NONE, () -> "", OneTimePasswordNotice.STDOUT);

    public UiHooks {
        Objects.requireNonNull(alarms, "alarms");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(recordings, "recordings");
        Objects.requireNonNull(readiness, "readiness");
        Objects.requireNonNull(passwordNotice, "passwordNotice");
    }

    public UiHooks withAlarms(AlarmControl a) {
        return new UiHooks(a, status, config, recordings, readiness, passwordNotice);
    }

    public UiHooks withStatus(StatusSource s) {
        return new UiHooks(alarms, s, config, recordings, readiness, passwordNotice);
    }

    public UiHooks withConfig(ConfigControl c) {
        return new UiHooks(alarms, status, c, recordings, readiness, passwordNotice);
    }

    public UiHooks withRecordings(RecordingControl r) {
        return new UiHooks(alarms, status, config, r, readiness, passwordNotice);
    }

    public UiHooks withReadiness(Readiness r) {
        return new UiHooks(alarms, status, config, recordings, r, passwordNotice);
    }

    public UiHooks withPasswordNotice(OneTimePasswordNotice n) {
        return new UiHooks(alarms, status, config, recordings, readiness, n);
    }
}
