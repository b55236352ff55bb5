package org.cardiogate.inference.beat;

/**
 * A model could not be loaded (missing, mismatched with its manifest, no usable execution provider) or failed to
 * run. The gateway reports it and carries on with rule-based detection only.
 */
public final class BeatClassifierException extends Exception {
    public BeatClassifierException(String message) {
        super(message);
    }

    public BeatClassifierException(String message, Throwable cause) {
        super(message, cause);
    }
}
