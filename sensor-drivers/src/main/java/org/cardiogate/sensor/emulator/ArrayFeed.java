package org.cardiogate.sensor.emulator;

/** A feed that plays fixed frames, channel-major, and repeats them from the start when it runs out. */
public final class ArrayFeed implements AnalogFeed {
    private final double[][] data;
    private int index;

    /** @param data {@code data[channel][frame]}, every channel the same length */
    public ArrayFeed(double[][] data) {
        if (data.length == 0 || data[0].length == 0) {
            throw new IllegalArgumentException("array feed needs at least one channel and one frame");
        }
        for (double[] c : data) {
            if (c.length != data[0].length) {
                throw new IllegalArgumentException("array feed channels differ in length");
            }
        }
        this.data = data;
    }

    @Override
    public int channels() {
        return data.length;
    }

    @Override
    public void next(double[] out) {
        for (int c = 0; c < data.length; c++) {
            out[c] = data[c][index];
        }
        index = (index + 1) % data[0].length;
    }
}
