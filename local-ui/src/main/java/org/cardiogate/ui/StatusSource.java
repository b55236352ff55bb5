package org.cardiogate.ui;

/**
 * Supplies the gateway's status. Implemented by the gateway; called from HTTP request threads about once a second
 * per open status page, so it should return a copy of counters it already keeps.
 */
@FunctionalInterface
public interface StatusSource {
    StatusSource NONE = () -> GatewayStatus.EMPTY;

    GatewayStatus status();
}
