package org.cardiogate.ui;

import java.util.List;
import java.util.Objects;

/** One section of the configuration file, e.g. {@code alarms}, with its fields in file order. */
public record ConfigSection(String name, List<ConfigField> fields) {
    public ConfigSection {
        Objects.requireNonNull(name, "name");
        fields = List.copyOf(fields);
    }
}
