package org.cardiogate.ui;

/**
 * Whether the gateway is ready to do its job ({@code GET /ready}: 200 when ready, 503 with the reason when not).
 * Implemented by the gateway, e.g. "sources delivering and pipeline running"; called from HTTP request threads.
 */
@FunctionalInterface
public interface Readiness {
    /** Empty when ready, else the reason it is not (e.g. {@code "ecg: no samples for 3 s"}). */
    String notReadyReason();
}
