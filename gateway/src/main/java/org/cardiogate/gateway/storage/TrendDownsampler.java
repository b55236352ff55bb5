package org.cardiogate.gateway.storage;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.cardiogate.signal.Vital;

/**
 * Reduces vitals to one trend point per stream, vital and time bucket (mean, min, max, count), by the vitals' own
 * monotonic timestamps. A bucket is emitted when the first value of a later bucket arrives (or on {@link #flush}),
 * so a crash loses at most the open bucket of each vital. NaN values (not measurable) are left out.
 *
 * <p>Not thread-safe: used by the store's writer thread only.
 */
final class TrendDownsampler {
    /** One finished bucket. {@code bucketStartNanos} is on the vitals' monotonic time line. */
    record Point(String stream, String name, String unit, long bucketStartNanos, int bucketSeconds, int n,
                 double mean, double min, double max) {
    }

    private static final class Open {
        final String stream;
        final String name;
        String unit;
        long start;
        int n;
        double sum;
        double min;
        double max;

        Open(String stream, String name) {
            this.stream = stream;
            this.name = name;
        }
    }

    private final long bucketNanos;
    private final int bucketSeconds;
    private final Map<String, Open> open = new HashMap<>();

    TrendDownsampler(int bucketSeconds) {
        if (bucketSeconds < 1) {
            throw new IllegalArgumentException("trend bucket must be >= 1 s, was " + bucketSeconds);
        }
        this.bucketSeconds = bucketSeconds;
        this.bucketNanos = bucketSeconds * 1_000_000_000L;
    }

    /** Adds a value; returns the bucket it closed, or {@code null}. */
    Point add(Vital v) {
        if (Double.isNaN(v.value())) {
            return null;
        }
        long start = Math.floorDiv(v.timestampNanos(), bucketNanos) * bucketNanos;
        Open o = open.computeIfAbsent(v.streamId() + '\u0000' + v.name(), k -> new Open(v.streamId(), v.name()));
        Point closed = null;
        if (o.n > 0 && o.start != start) {
            closed = point(o);
            o.n = 0;
        }
        if (o.n == 0) {
            o.start = start;
            o.sum = 0;
            o.min = Double.POSITIVE_INFINITY;
            o.max = Double.NEGATIVE_INFINITY;
        }
        o.unit = v.unit();
        o.n++;
        o.sum += v.value();
        o.min = Math.min(o.min, v.value());
        o.max = Math.max(o.max, v.value());
        return closed;
    }

    /** Closes every open bucket (at shutdown). */
    List<Point> flush() {
        List<Point> out = new ArrayList<>();
        for (Open o : open.values()) {
            if (o.n > 0) {
                out.add(point(o));
                o.n = 0;
            }
        }
        return out;
    }

    private Point point(Open o) {
        return new Point(o.stream, o.name, o.unit, o.start, bucketSeconds, o.n, o.sum / o.n, o.min, o.max);
    }
}
