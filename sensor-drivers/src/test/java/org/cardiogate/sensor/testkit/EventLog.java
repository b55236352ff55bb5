package org.cardiogate.sensor.testkit;

import java.util.ArrayList;
import java.util.List;

import org.cardiogate.sensor.fault.TechnicalEvent;
import org.cardiogate.sensor.fault.TechnicalEventListener;
import org.cardiogate.sensor.fault.TechnicalEventType;

/** Collects technical events (thread-safe). */
public final class EventLog implements TechnicalEventListener {
    private final List<TechnicalEvent> events = new ArrayList<>();

    @Override
    public synchronized void onEvent(TechnicalEvent event) {
        events.add(event);
    }

    public synchronized List<TechnicalEvent> all() {
        return List.copyOf(events);
    }

    public synchronized List<TechnicalEvent> of(TechnicalEventType type) {
        return events.stream().filter(e -> e.type() == type).toList();
    }

    public synchronized long count(TechnicalEventType type) {
        return events.stream().filter(e -> e.type() == type).count();
    }
}
