package org.cardiogate.sensor.sim;

/**
 * Receives the ground truth of every simulated beat.
 *
 * <p>Called on the thread that generates samples (the acquisition thread of a {@link SimulatorSource}), when the
 * beat is scheduled: that is when the previous R peak is generated, up to one RR interval (and, for the PPG, one
 * RR plus the pulse arrival time) before the beat appears in the streams. Must return quickly and must not call back
 * into the simulator's {@code fill} methods.
 */
@FunctionalInterface
public interface BeatListener {
    void onBeat(SimulatedBeat beat);
}
