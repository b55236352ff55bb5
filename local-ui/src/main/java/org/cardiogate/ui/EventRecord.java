package org.cardiogate.ui;

import org.cardiogate.signal.CardiacEvent;

/**
 * An event the page has seen, with the id of its evidence snippet once that has been captured.
 * Written by the dispatcher, read by HTTP threads.
 */
final class EventRecord {
    private final CardiacEvent event;
    private final long receivedNanos;
    private volatile String evidenceId;

    EventRecord(CardiacEvent event, long receivedNanos) {
        this.event = event;
        this.receivedNanos = receivedNanos;
    }

    CardiacEvent event() {
        return event;
    }

    long receivedNanos() {
        return receivedNanos;
    }

    /** The evidence id, or {@code null} while it is being captured or when the stream has no waveform. */
    String evidenceId() {
        return evidenceId;
    }

    void evidenceId(String id) {
        evidenceId = id;
    }
}
