package org.cardiogate.dsp.ppg;

/** Receives pulses from a {@link PpgProcessor}, in time order, on the thread that calls its {@code process}. */
@FunctionalInterface
public interface PulseListener {
    /** A pulse; {@code pulse} is reused after this returns. Must not block. */
    void onPulse(PpgPulse pulse);
}
