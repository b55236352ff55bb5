package org.cardiogate.sensor.board;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.cardiogate.sensor.SensorSource;
import org.cardiogate.signal.BlockRing;
import org.cardiogate.signal.StreamDescriptor;

/**
 * Several sources (for example an ECG front-end, a PPG sensor and an accelerometer, each with its own acquisition
 * thread) seen as one {@link SensorSource}, so the gateway consumes a whole bench or board as it consumes one chip.
 *
 * <p>Stream ids must be unique across the parts: a block carries its stream descriptor, so an id cannot be renamed
 * here without the parts knowing; a duplicate is rejected at construction with both sources named (give each driver
 * its own id in its configuration). Technical events are not routed through this class: build the parts with one
 * shared {@link org.cardiogate.sensor.fault.TechnicalEventListener} (it is called on each part's acquisition thread,
 * so it must be thread-safe), as {@link EmulatedBoards} does.
 *
 * <p>Threading: {@link #start()} and {@link #close()} from one control thread. {@link #start()} starts the parts in
 * order; if one fails, every part is closed (a part that never started just releases its buses) and the
 * failure is rethrown. {@link #close()} closes every
 * part, in reverse order, even when one throws (the first exception is rethrown after the rest are closed).
 */
public class CompositeSource implements SensorSource {
    private final List<SensorSource> parts;
    private final List<StreamDescriptor> streams;
    private final Map<String, SensorSource> owners;
    private boolean started;
    private boolean closed;

    /** @param parts the sources, at least one; their stream ids must be distinct */
    public CompositeSource(List<? extends SensorSource> parts) {
        if (parts == null || parts.isEmpty()) {
            throw new IllegalArgumentException("composite source: parts must list at least one source");
        }
        this.parts = List.copyOf(parts);
        List<StreamDescriptor> all = new ArrayList<>();
        Map<String, SensorSource> byId = new HashMap<>();
        for (SensorSource p : this.parts) {
            for (StreamDescriptor s : p.streams()) {
                SensorSource previous = byId.putIfAbsent(s.streamId(), p);
                if (previous != null) {
                    throw new IllegalArgumentException("composite source: stream id '" + s.streamId()
                            + "' is produced by both " + describe(previous) + " and " + describe(p)
                            + "; give each source its own stream id");
                }
                all.add(s);
            }
        }
        this.streams = List.copyOf(all);
        this.owners = Map.copyOf(byId);
    }

    private static String describe(SensorSource s) {
        return s.getClass().getSimpleName() + " " + s.streams().stream().map(StreamDescriptor::streamId).toList();
    }

    /** The parts, in the order given. */
    public List<SensorSource> parts() {
        return parts;
    }

    /** The streams of every part, in part order. */
    @Override
    public List<StreamDescriptor> streams() {
        return streams;
    }

    @Override
    public java.util.Map<String, Boolean> electrodesOff(String streamId) {
        SensorSource owner = owners.get(streamId);
        return owner == null ? java.util.Map.of() : owner.electrodesOff(streamId);
    }

    @Override
    public BlockRing ring(String streamId) {
        SensorSource owner = owners.get(streamId);
        if (owner == null) {
            throw new IllegalArgumentException("composite source has no stream '" + streamId + "'; it has "
                    + owners.keySet().stream().sorted().toList());
        }
        return owner.ring(streamId);
    }

    @Override
    public synchronized void start() {
        if (started || closed) {
            throw new IllegalStateException("composite source: already started or closed");
        }
        started = true;
        try {
            for (SensorSource p : parts) {
                p.start();
            }
        } catch (RuntimeException e) {
            try {
                close();
            } catch (RuntimeException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        RuntimeException first = null;
        for (int k = parts.size() - 1; k >= 0; k--) {
            try {
                parts.get(k).close();
            } catch (RuntimeException e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
