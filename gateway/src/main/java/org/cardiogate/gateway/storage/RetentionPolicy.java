package org.cardiogate.gateway.storage;

import java.time.Duration;

/**
 * How long the local store keeps what, and how large it may grow.
 *
 * @param rawAge    beats, raw vitals and events older than this (by {@code stored_at}) are deleted
 * @param trendAge  vital trend points older than this are deleted
 * @param recordAge audit entries, configuration versions (never the newest) and resolved alarms (cleared and
 *                  acknowledged) older than this are deleted
 * @param maxBytes  budget for the data in the database file; over it, the oldest raw beats, then raw vitals, then
 *                  trends, then events are deleted until the data fits. Records (alarms, audit, configuration)
 *                  are never deleted for size.
 */
public record RetentionPolicy(Duration rawAge, Duration trendAge, Duration recordAge, long maxBytes) {
    public RetentionPolicy {
        positive(rawAge, "rawAge");
        positive(trendAge, "trendAge");
        positive(recordAge, "recordAge");
        if (maxBytes < 1024 * 1024) {
            throw new IllegalArgumentException("storage maxBytes must be at least 1 MiB, was " + maxBytes);
        }
    }

    /** A week of raw data, 90 days of trends, a year of records, 1 GiB. */
    public static RetentionPolicy defaults() {
        return new RetentionPolicy(Duration.ofDays(7), Duration.ofDays(90), Duration.ofDays(365), 1L << 30);
    }

    private static void positive(Duration d, String name) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException("storage retention " + name + " must be a positive duration, was " + d);
        }
    }
}
