package org.cardiogate.sensor.emulator;

/**
 * The analogue input of an emulated chip, one frame per conversion, in the order the chip converts.
 * Called on the thread that drives the emulator; implementations allocate nothing per frame.
 */
public interface AnalogFeed {

    /** Values per frame. */
    int channels();

    /** Writes the next frame (one value per channel) into {@code out}, in the unit the emulator documents. */
    void next(double[] out);
}
