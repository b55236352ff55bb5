package org.cardiogate.ui;

import java.util.Arrays;

import org.cardiogate.signal.Vital;

/**
 * The latest value of one vital sign and its trend: one point per {@link #BUCKET_SECONDS} (the last value in that
 * bucket), {@link #POINTS} points, about ten minutes. Written by the dispatcher, read by HTTP threads.
 */
final class VitalTrend {
    static final double BUCKET_SECONDS = 5;
    static final int POINTS = 120;

    private final String name;
    private final double[] seconds = new double[POINTS];
    private final double[] values = new double[POINTS];
    private int next;
    private int size;
    private Vital latest;

    VitalTrend(String name) {
        this.name = name;
    }

    String name() {
        return name;
    }

    synchronized void add(Vital vital) {
        latest = vital;
        double t = vital.timestampNanos() / 1e9;
        int last = (next - 1 + POINTS) % POINTS;
        if (size > 0 && Math.floor(seconds[last] / BUCKET_SECONDS) == Math.floor(t / BUCKET_SECONDS)) {
            seconds[last] = t;
            values[last] = vital.value();
            return;
        }
        seconds[next] = t;
        values[next] = vital.value();
        next = (next + 1) % POINTS;
        if (size < POINTS) {
            size++;
        }
    }

    synchronized Vital latest() {
        return latest;
    }

    /** The trend as {@code [seconds, value]} pairs, oldest first; seconds are monotonic. */
    synchronized double[][] points() {
        double[][] out = new double[size][];
        int start = (next - size + POINTS) % POINTS;
        for (int i = 0; i < size; i++) {
            int k = (start + i) % POINTS;
            out[i] = new double[] {seconds[k], values[k]};
        }
        return out;
    }

    @Override
    public synchronized String toString() {
        return "VitalTrend[" + name + " " + Arrays.toString(Arrays.copyOf(values, size)) + "]";
    }
}
