package org.cardiogate.gateway.service;

import java.io.IOException;

/** Carries one sd_notify message (newline-separated {@code KEY=VALUE} assignments) to the service manager. */
interface NotifyTransport extends AutoCloseable {
    void send(String message) throws IOException;

    /** How messages travel, for the start-up log line. */
    String describe();

    @Override
    void close();
}
