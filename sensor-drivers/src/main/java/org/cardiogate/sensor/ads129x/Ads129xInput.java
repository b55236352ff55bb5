package org.cardiogate.sensor.ads129x;

/** What a channel's input multiplexer (CHnSET.MUX) connects to the PGA. */
public enum Ads129xInput {
    /** The electrode pair (MUX = 000/0000). */
    NORMAL(0x0),
    /** Inputs shorted together: measures offset and noise (MUX = 001/0001). */
    SHORTED(0x1),
    /** Supply measurement (MUX = 011/0011). */
    SUPPLY(0x3),
    /** Internal temperature sensor (MUX = 100/0100). */
    TEMPERATURE(0x4),
    /** The internal (or external) test signal (MUX = 101/0101). */
    TEST_SIGNAL(0x5);

    private final int mux;

    Ads129xInput(int mux) {
        this.mux = mux;
    }

    /** The MUX field value. */
    public int mux() {
        return mux;
    }

    /** The input a MUX value selects, or null for one this enum does not model. */
    public static Ads129xInput ofMux(int mux) {
        for (Ads129xInput i : values()) {
            if (i.mux == mux) {
                return i;
            }
        }
        return null;
    }
}
