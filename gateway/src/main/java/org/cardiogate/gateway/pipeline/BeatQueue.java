package org.cardiogate.gateway.pipeline;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Hands detected beats from the DSP thread to the output thread as primitives: single producer, single consumer,
 * preallocated, lock-free, allocation-free. When full, the beat is dropped and counted (the DSP thread never waits).
 */
final class BeatQueue {
    /** What an entry is: a beat, or the start or end of a NOISE stretch (then rr holds the end sample). */
    static final int BEAT = 0;
    static final int NOISE_ONSET = 1;
    static final int NOISE_END = 2;
    /** Fused heart rate: rr = bpm, hr = source ordinal. */
    static final int HEART_RATE = 3;
    /** A fused beat: rr = PEP ms, hr = PAT ms, extra = LVET ms (NaN when not measured). */
    static final int FUSED = 4;
    /** A fused beat's ECG intervals: rr = QT ms, hr = RR s of that beat, extra = QRS ms (NaN when not measured). */
    static final int INTERVALS = 5;
    /** A PPG pulse with SpO2: rr = SpO2 %, hr = perfusion index %, extra = pulse quality 0..1. */
    static final int SPO2 = 6;

    private final int[] kind;
    private final int[] stream;
    private final long[] sample;
    private final long[] time;
    private final double[] rr;
    private final double[] hr;
    private final double[] extra;
    private final int mask;
    private final AtomicLong head = new AtomicLong();
    private final AtomicLong tail = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();

    BeatQueue(int capacityPowerOfTwo) {
        if (Integer.bitCount(capacityPowerOfTwo) != 1) {
            throw new IllegalArgumentException("capacity must be a power of two, got " + capacityPowerOfTwo);
        }
        kind = new int[capacityPowerOfTwo];
        stream = new int[capacityPowerOfTwo];
        sample = new long[capacityPowerOfTwo];
        time = new long[capacityPowerOfTwo];
        rr = new double[capacityPowerOfTwo];
        hr = new double[capacityPowerOfTwo];
        extra = new double[capacityPowerOfTwo];
        mask = capacityPowerOfTwo - 1;
    }

    /** Producer (DSP thread). */
    boolean offer(int streamIndex, long rSample, long timestampNanos, double rrSeconds, double heartRateBpm) {
        return offer(BEAT, streamIndex, rSample, timestampNanos, rrSeconds, heartRateBpm);
    }

    /** Producer (DSP thread): any kind of entry. */
    boolean offer(int entryKind, int streamIndex, long rSample, long timestampNanos, double rrSeconds, double heartRateBpm) {
        return offer(entryKind, streamIndex, rSample, timestampNanos, rrSeconds, heartRateBpm, Double.NaN);
    }

    /** Producer (DSP thread): any kind of entry with a third value. */
    boolean offer(int entryKind, int streamIndex, long rSample, long timestampNanos, double rrSeconds, double heartRateBpm,
                  double third) {
        long t = tail.getPlain();
        if (t - head.getAcquire() >= stream.length) {
            dropped.incrementAndGet();
            return false;
        }
        int i = (int) (t & mask);
        kind[i] = entryKind;
        stream[i] = streamIndex;
        sample[i] = rSample;
        time[i] = timestampNanos;
        rr[i] = rrSeconds;
        hr[i] = heartRateBpm;
        extra[i] = third;
        tail.setRelease(t + 1);
        return true;
    }

    /** Receives one beat on the consumer thread. */
    interface Consumer {
        void entry(int kind, int streamIndex, long rSample, long timestampNanos, double a, double b, double c);
    }

    /** Consumer (output thread): passes every queued beat to {@code c}; returns how many. */
    int drain(Consumer c) {
        long h = head.getPlain();
        long t = tail.getAcquire();
        int n = 0;
        for (; h < t; h++, n++) {
            int i = (int) (h & mask);
            c.entry(kind[i], stream[i], sample[i], time[i], rr[i], hr[i], extra[i]);
        }
        head.setRelease(h);
        return n;
    }

    long dropped() {
        return dropped.get();
    }
}
