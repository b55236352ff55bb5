package org.cardiogate.sensor.testkit;

import java.util.Arrays;

import org.cardiogate.signal.BlockRing;
import org.cardiogate.signal.SampleBlock;

/** Drains a ring into arrays: per sample its sequence number, timestamp and channel values. */
public final class Capture {
    private final BlockRing ring;
    private final int channels;
    public long[] seq = new long[1024];
    public long[] timestamp = new long[1024];
    /** True for sample 0 of a block: the only sample whose timestamp the driver sets itself. */
    public boolean[] blockStart = new boolean[1024];
    public double[][] values;
    public int n;
    public int blocks;

    public Capture(BlockRing ring, int channels) {
        this.ring = ring;
        this.channels = channels;
        this.values = new double[channels][1024];
    }

    /** Takes every published block. */
    public Capture drain() {
        SampleBlock b;
        while ((b = ring.peek()) != null) {
            blocks++;
            double period = 1e9 / b.stream().nominalRateHz();
            for (int i = 0; i < b.length(); i++) {
                if (n == seq.length) {
                    int cap = n * 2;
                    seq = Arrays.copyOf(seq, cap);
                    timestamp = Arrays.copyOf(timestamp, cap);
                    blockStart = Arrays.copyOf(blockStart, cap);
                    for (int c = 0; c < channels; c++) {
                        values[c] = Arrays.copyOf(values[c], cap);
                    }
                }
                seq[n] = b.firstSequence() + i;
                blockStart[n] = i == 0;
                // the block carries sample 0's time; later samples follow at the (nominal) period within a block
                timestamp[n] = b.timestampNanos() + Math.round(i * period);
                for (int c = 0; c < channels; c++) {
                    values[c][n] = b.get(c, i);
                }
                n++;
            }
            ring.release();
        }
        return this;
    }

    /** Index of the sample with this sequence number, or -1. */
    public int indexOf(long s) {
        int i = Arrays.binarySearch(seq, 0, n, s);
        return i >= 0 ? i : -1;
    }

    public long lastSeq() {
        return n == 0 ? -1 : seq[n - 1];
    }
}
