package org.cardiogate.sensor.fault;

/**
 * Receives technical events. Called on the driver's acquisition thread: implementations must return quickly and
 * never block (hand the event to a queue); an exception thrown here is caught and ignored by the driver.
 */
@FunctionalInterface
public interface TechnicalEventListener {
    /** Discards every event. */
    TechnicalEventListener NONE = event -> { };

    void onEvent(TechnicalEvent event);
}
