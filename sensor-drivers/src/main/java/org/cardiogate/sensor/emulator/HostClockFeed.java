package org.cardiogate.sensor.emulator;

import java.util.Objects;
import java.util.function.LongUnaryOperator;

/**
 * Puts several emulated chips on one physical timeline: the source (typically a {@link SimulatorFeed} running
 * faster than the chip, up to 2 kHz) is a signal whose frame {@code j} happens at host time
 * {@code origin + j / sourceRate}; chip sample {@code k} takes the source frame nearest the host time at which the chip
 * really takes it ({@link #bind bound} to the emulator's conversion clock, drift included). Chips with different
 * rates and oscillators so see the same heartbeat at the same host time, up to half a source period, and a driver's
 * timestamps can be checked against the simulator's ground truth. Frames are held, never interpolated.
 *
 * <p>Called on the emulator's thread; allocation-free per frame.
 */
public final class HostClockFeed implements AnalogFeed {
    private final AnalogFeed source;
    private final double sourceRateHz;
    private final long originNanos;
    private final double[] current;
    private LongUnaryOperator sampleNanos;
    private long calls;
    private long produced = -1;

    /**
     * @param source       the signal, one frame per {@code 1 / sourceRateHz} seconds
     * @param sourceRateHz its frame rate
     * @param originNanos  host time of its frame 0
     */
    public HostClockFeed(AnalogFeed source, double sourceRateHz, long originNanos) {
        this.source = Objects.requireNonNull(source, "source");
        if (!(sourceRateHz > 0)) {
            throw new IllegalArgumentException("host clock feed: source rate must be > 0 Hz, got " + sourceRateHz);
        }
        this.sourceRateHz = sourceRateHz;
        this.originNanos = originNanos;
        this.current = new double[source.channels()];
    }

    /**
     * Binds the chip's conversion clock: host time of sample {@code k} (for example
     * {@code chip::conversionNanos}); the k-th call of {@link #next} is sample k.
     */
    public HostClockFeed bind(LongUnaryOperator sampleNanos) {
        this.sampleNanos = sampleNanos;
        return this;
    }

    @Override
    public int channels() {
        return current.length;
    }

    @Override
    public void next(double[] out) {
        if (sampleNanos == null) {
            throw new IllegalStateException("host clock feed: bind() the chip's sample clock before it converts");
        }
        long t = sampleNanos.applyAsLong(calls++);
        long j = Math.max(0, Math.round((t - originNanos) * 1e-9 * sourceRateHz));
        while (produced < j) {
            source.next(current);
            produced++;
        }
        System.arraycopy(current, 0, out, 0, current.length);
    }
}
