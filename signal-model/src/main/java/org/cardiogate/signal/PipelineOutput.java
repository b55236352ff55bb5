package org.cardiogate.signal;

/**
 * Receives what the real-time loop produces. Implementations (MQTT bridge, web page, storage) are called from the
 * DSP thread through the gateway's fan-out and must return at once: queue the item and do the work elsewhere.
 */
public interface PipelineOutput {
    default void onBeat(Beat beat) {
    }

    default void onVital(Vital vital) {
    }

    default void onEvent(CardiacEvent event) {
    }
}
