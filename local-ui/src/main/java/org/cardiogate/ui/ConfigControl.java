package org.cardiogate.ui;

import java.util.List;
import java.util.Map;

/**
 * The gateway's configuration as the page edits it. Implemented by the gateway; called from HTTP request threads.
 * {@link #apply} must validate every field first and change nothing when any is invalid.
 */
public interface ConfigControl {
    ConfigControl NONE = new ConfigControl() {
        @Override
        public List<ConfigSection> current() {
            return List.of();
        }

        @Override
        public ConfigResult apply(Map<String, String> changes, String user) {
            return ConfigResult.refused("the configuration cannot be changed from the page");
        }
    };

    /** The configuration now, by section in file order. */
    List<ConfigSection> current();

    /**
     * Validates and applies changed values, keyed {@code section.key}, as text. Returns field errors naming each
     * field, or a reason for refusing the whole change, or {@link ConfigResult#ok()}.
     */
    ConfigResult apply(Map<String, String> changes, String user);
}
