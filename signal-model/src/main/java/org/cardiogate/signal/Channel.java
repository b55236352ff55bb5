package org.cardiogate.signal;

import java.util.Objects;

/**
 * One channel of a stream.
 *
 * @param name the lead or axis name, for example {@code "II"}, {@code "V1"}, {@code "IR"}, {@code "z"}
 * @param unit the physical unit of the values in sample blocks, for example {@code "mV"}
 */
public record Channel(String name, String unit) {
    public Channel {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(unit, "unit");
        if (name.isBlank()) {
            throw new IllegalArgumentException("channel name must not be blank");
        }
    }
}
