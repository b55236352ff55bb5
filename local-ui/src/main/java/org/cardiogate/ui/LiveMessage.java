package org.cardiogate.ui;

import java.util.Objects;

/**
 * One server-sent event for the page: its event name ({@code hr}, {@code beat}, {@code event}, {@code status}) and
 * its JSON data, serialised once and shared by every client.
 */
public record LiveMessage(String name, String json) {
    public LiveMessage {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(json, "json");
    }
}
