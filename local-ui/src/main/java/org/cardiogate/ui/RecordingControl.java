package org.cardiogate.ui;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The gateway's recordings as the page manages them. Implemented by the gateway; called from HTTP request threads.
 */
public interface RecordingControl {
    RecordingControl NONE = new RecordingControl() {
        @Override
        public List<RecordingInfo> list() {
            return List.of();
        }

        @Override
        public ActionResult start(String label, String user) {
            return ActionResult.refused("recording is not available on this gateway");
        }

        @Override
        public ActionResult stop(String id, String user) {
            return ActionResult.refused("recording is not available on this gateway");
        }

        @Override
        public Optional<Path> file(String id, String format) {
            return Optional.empty();
        }
    };

    /** Recordings, newest first. */
    List<RecordingInfo> list();

    /** Starts a recording; the result carries its id. */
    ActionResult start(String label, String user);

    ActionResult stop(String id, String user);

    /**
     * The finished file of a recording in a format from {@link RecordingInfo#formats()} (for WFDB, a zip of header
     * and signal files), or empty when there is none. The page streams it as a download.
     */
    Optional<Path> file(String id, String format);
}
