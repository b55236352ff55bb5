package org.cardiogate.ui;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One recording in the list.
 *
 * @param id      identifier used in the page's URLs (letters, digits, {@code _ . -})
 * @param label   what the user called it
 * @param started wall-clock start
 * @param stopped wall-clock end, or {@code null} while recording
 * @param bytes   size on disk so far
 * @param formats formats it can be downloaded in, e.g. {@code ["edf", "wfdb"]}
 */
public record RecordingInfo(String id, String label, Instant started, Instant stopped, long bytes,
                            List<String> formats) {
    public RecordingInfo {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(started, "started");
        if (!id.matches("[A-Za-z0-9_.-]+")) {
            throw new IllegalArgumentException("recording id '" + id + "' must use only letters, digits, '_', '.', '-'");
        }
        label = label == null ? "" : label;
        formats = List.copyOf(formats);
    }

    public boolean active() {
        return stopped == null;
    }
}
