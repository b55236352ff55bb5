package org.cardiogate.sensor.testkit;

import java.util.function.BooleanSupplier;

/** Drains captures on the real clock (serial tests run on real ptys, so time cannot be virtual). */
public final class RealTimeRun {
    private RealTimeRun() {
    }

    /** Drains every 20 ms for {@code seconds}. */
    public static void runFor(double seconds, Capture... captures) throws InterruptedException {
        long end = System.nanoTime() + (long) (seconds * 1e9);
        while (System.nanoTime() < end) {
            Thread.sleep(20);
            for (Capture c : captures) {
                c.drain();
            }
        }
    }

    /** Drains until {@code done} holds or {@code timeoutSeconds} pass; returns whether it held. */
    public static boolean runUntil(BooleanSupplier done, double timeoutSeconds, Capture... captures)
            throws InterruptedException {
        long end = System.nanoTime() + (long) (timeoutSeconds * 1e9);
        while (System.nanoTime() < end) {
            Thread.sleep(20);
            for (Capture c : captures) {
                c.drain();
            }
            if (done.getAsBoolean()) {
                return true;
            }
        }
        return false;
    }
}
