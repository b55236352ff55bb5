package org.cardiogate.signal.wfdb;

import java.io.IOException;

/**
 * A WFDB file (header, signal or annotation file) is malformed, truncated or inconsistent. The message always names
 * the file and, where it helps, the line, byte offset or signal, and the problem.
 */
public class WfdbFormatException extends IOException {
    public WfdbFormatException(String message) {
        super(message);
    }

    public WfdbFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
