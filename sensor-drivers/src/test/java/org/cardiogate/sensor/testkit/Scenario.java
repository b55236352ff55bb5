package org.cardiogate.sensor.testkit;

import java.util.ArrayList;
import java.util.List;

import org.cardiogate.sensor.SensorSource;
import org.cardiogate.sensor.emulator.VirtualTime;

/**
 * Runs sources on a {@link VirtualTime} from the test thread: the test thread is a party of the time, so time only
 * moves while it sleeps in {@link #runFor(double)}, and captures drain while time stands still.
 */
public final class Scenario implements AutoCloseable {
    public static final long T0 = 1_000_000_000L;
    public final VirtualTime time = new VirtualTime(T0);
    private final List<SensorSource> sources = new ArrayList<>();
    private final List<Capture> captures = new ArrayList<>();

    public Scenario() {
        time.register();
    }

    public Capture start(SensorSource source) {
        sources.add(source);
        Capture c = new Capture(source.ring(source.streams().get(0).streamId()),
                source.streams().get(0).channelCount());
        captures.add(c);
        source.start();
        return c;
    }

    /** Starts a source of several streams and captures every one of them, in the order of its streams. */
    public Capture[] startAll(SensorSource source) {
        sources.add(source);
        Capture[] caps = new Capture[source.streams().size()];
        for (int i = 0; i < caps.length; i++) {
            caps[i] = new Capture(source.ring(source.streams().get(i).streamId()),
                    source.streams().get(i).channelCount());
            captures.add(caps[i]);
        }
        source.start();
        return caps;
    }

    /** Advances virtual time by {@code seconds}, draining every capture each 50 ms. */
    public void runFor(double seconds) {
        long end = time.nanoTime() + Math.round(seconds * 1e9);
        try {
            while (time.nanoTime() < end) {
                time.sleepUntil(Math.min(end, time.nanoTime() + 50_000_000L));
                for (Capture c : captures) {
                    c.drain();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    @Override
    public void close() {
        for (SensorSource s : sources) {
            s.close();
        }
        time.deregister();
    }
}
