package org.cardiogate.mqtt;

import java.util.Locale;

/**
 * The outbox's lanes, in priority order: a lower ordinal is sent first, and under the disk budget the lanes are
 * emptied from the last one up ({@link #WAVEFORMS} first, then {@link #BEATS}, then {@link #VITALS}; {@link #EVENTS}
 * never).
 */
enum Lane {
    EVENTS, VITALS, BEATS, WAVEFORMS;

    static final Lane[] ALL = values();

    /** Directory and JSON field name: {@code events}, {@code vitals}, ... */
    String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    static Lane of(MqttPublisher.Kind kind) {
        return switch (kind) {
            case EVENT -> EVENTS;
            case VITAL -> VITALS;
            case BEAT -> BEATS;
            case WAVEFORM -> WAVEFORMS;
        };
    }
}
