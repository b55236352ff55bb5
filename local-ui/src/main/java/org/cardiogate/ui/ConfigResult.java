package org.cardiogate.ui;

import java.util.Map;
import java.util.TreeMap;

/**
 * The outcome of a configuration change.
 *
 * @param applied whether the change is in effect
 * @param errors  problems by field, keyed {@code section.key} (e.g. {@code "alarms.tachyBpm" -> "must be between 60
 *                and 300"}); empty when applied
 * @param reason  why the change was refused as a whole (e.g. "a recording is running"), or empty
 */
public record ConfigResult(boolean applied, Map<String, String> errors, String reason) {
    public ConfigResult {
        errors = Map.copyOf(new TreeMap<>(errors));
        reason = reason == null ? "" : reason;
        if (applied && !errors.isEmpty()) {
            throw new IllegalArgumentException("a configuration change with field errors cannot be applied");
        }
    }

    public static ConfigResult ok() {
        return new ConfigResult(true, Map.of(), "");
    }

    public static ConfigResult invalid(Map<String, String> errors) {
        return new ConfigResult(false, errors, "invalid values");
    }

    public static ConfigResult refused(String reason) {
        return new ConfigResult(false, Map.of(), reason);
    }
}
