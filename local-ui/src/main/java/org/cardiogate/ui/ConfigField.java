package org.cardiogate.ui;

import java.util.Objects;

/**
 * One setting in the configuration form.
 *
 * @param key      name within its section, e.g. {@code "tachyBpm"}; the form posts it as {@code section.key}
 * @param type     how the form edits it
 * @param value    the current value as text ({@code "true"}/{@code "false"} for booleans)
 * @param help     one line shown beside the field: range, unit, effect
 * @param editable whether it can be changed from the page (e.g. not the data directory)
 */
public record ConfigField(String key, Type type, String value, String help, boolean editable) {
    public enum Type { TEXT, NUMBER, BOOLEAN }

    public ConfigField {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(type, "type");
        value = value == null ? "" : value;
        help = help == null ? "" : help;
    }
}
