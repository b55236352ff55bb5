package org.cardiogate.signal.edf;

import java.io.IOException;

/**
 * An EDF or EDF+ file is malformed, truncated or inconsistent. The message always names the file and, where it helps,
 * the header field, signal, data record or byte offset, and the problem.
 */
public class EdfFormatException extends IOException {
    public EdfFormatException(String message) {
        super(message);
    }

    public EdfFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
