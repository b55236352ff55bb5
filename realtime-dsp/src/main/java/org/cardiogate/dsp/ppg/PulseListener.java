package org.cardiogate.dsp.ppg;

/** Receives pulses from a {@link PpgProcessor}, in time order, on the thread that calls its {@code process}. */
@FunctionalInterface
public interface PulseListener {
    /** A pulse; {@code pulse} is reused after this returns. Must not block. */
    void onPulse(PpgPulse pulse);

    /**
     * A finished artefact stretch: from the last clean pulse before it to the first clean pulse after it (or the end of
     * the stream), the signal held a constant value, clipped, or gave pulses unlike the running template or rejected as
     * steps. Pulses inside it may still have been reported (with their low quality); pulse timing there is not to be
     * trusted. Told when the stretch ends, in time order; the default ignores it.
     *
     * @param startNanos monotonic time the stretch begins, ns
     * @param endNanos   monotonic time it ends, ns
     * @param flags      the reasons, bits of {@link PpgPulse#CLIPPED}, {@link PpgPulse#MOTION}, {@link PpgPulse#FLAT},
     *                   {@link PpgPulse#HELD}
     */
    default void onArtefact(long startNanos, long endNanos, int flags) {
    }
}
