package org.cardiogate.sensor.acquisition;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import org.cardiogate.sensor.SensorSource;
import org.cardiogate.sensor.bus.BusException;
import org.cardiogate.sensor.bus.I2cNackException;
import org.cardiogate.sensor.fault.Backoff;
import org.cardiogate.sensor.fault.TechnicalEvent;
import org.cardiogate.sensor.fault.TechnicalEventListener;
import org.cardiogate.sensor.fault.TechnicalEventType;
import org.cardiogate.sensor.timing.HostTime;
import org.cardiogate.sensor.timing.StreamClock;
import org.cardiogate.signal.BlockRing;
import org.cardiogate.signal.StreamDescriptor;

/**
 * The life cycle every chip driver shares: one acquisition thread that configures the chip, reads it until a fault,
 * reports the fault as a {@link TechnicalEvent}, waits with exponential backoff and configures again, forever, until
 * {@link #close()}. Recovery (a RECOVERED event, backoff reset) counts only once a frame arrives again. Sequence numbers continue across a recovery: the samples the chip would have produced while it
 * was lost (estimated from the stream's {@link StreamClock}) become a counted gap, never filled in.
 *
 * <p>Subclasses implement {@link #configure()} (reset, check identity, program and verify registers, start
 * conversions) and {@link #acquire()} (read until a fault or until {@link #running()} turns false), calling
 * {@link #emit(long, double[])} per frame.
 *
 * <p>A chip whose one conversion clock produces several kinds of signal (the MAX86150's FIFO entry holds PPG and ECG)
 * publishes several streams: they share the sequence numbers, the {@link StreamClock} and the fault life cycle, so
 * they must have the same nominal rate; each frame is published into every stream with
 * {@link #emitAll(long, double[][])}. Technical events name the first stream.
 *
 * <p>Threading: {@link #start()} and {@link #close()} from any one control thread; everything else on the
 * acquisition thread named {@code acq-<streamId>}. Counters are readable from any thread.
 */
public abstract class ChipSource implements SensorSource {
    /** First backoff after a fault. */
    public static final long BACKOFF_INITIAL_NANOS = 50_000_000L;
    /** Backoff cap. */
    public static final long BACKOFF_MAX_NANOS = 2_000_000_000L;

    protected final HostTime time;
    /** The writer of the first (for most chips the only) stream. */
    protected final StreamWriter writer;
    protected final StreamClock clock;
    private final StreamWriter[] writers;
    private final List<StreamDescriptor> streams;
    private final TechnicalEventListener listener;
    private final Backoff backoff = new Backoff(BACKOFF_INITIAL_NANOS, BACKOFF_MAX_NANOS);

    private volatile boolean running;
    private Thread thread;
    private boolean closed;
    private volatile Throwable failure;

    private long expectedSeq;
    private long resumeSeq;
    private boolean healthy;
    private boolean everConfigured;
    private boolean faulted;
    private boolean driftReported;
    private volatile long gaps;
    private volatile long lostSamples;
    private volatile long faults;
    private volatile long recoveries;
    private volatile long frames;

    protected ChipSource(StreamDescriptor stream, int ringSlots, int blockSamples, HostTime time,
                         TechnicalEventListener listener) {
        this(stream, ringSlots, blockSamples, time, listener, 10.0);
    }

    /**
     * @param driftWindowSeconds time constant of the drift fit: 10 s suits per-sample edges; FIFO-polled chips,
     *                           whose observations are quantised to whole samples, need longer
     */
    protected ChipSource(StreamDescriptor stream, int ringSlots, int blockSamples, HostTime time,
                         TechnicalEventListener listener, double driftWindowSeconds) {
        this(List.of(stream), ringSlots, blockSamples, time, listener, driftWindowSeconds);
    }

    /**
     * A source of several streams paced by one conversion clock (one sequence number per conversion, the same in
     * every stream).
     *
     * @param streams at least one; distinct ids, every one at the same nominal rate
     */
    protected ChipSource(List<StreamDescriptor> streams, int ringSlots, int blockSamples, HostTime time,
                         TechnicalEventListener listener, double driftWindowSeconds) {
        this.time = Objects.requireNonNull(time, "time");
        this.listener = Objects.requireNonNull(listener, "listener");
        if (streams == null || streams.isEmpty()) {
            throw new IllegalArgumentException("a chip source needs at least one stream");
        }
        this.streams = List.copyOf(streams);
        StreamDescriptor first = this.streams.get(0);
        List<String> ids = new ArrayList<>();
        this.writers = new StreamWriter[this.streams.size()];
        for (int i = 0; i < writers.length; i++) {
            StreamDescriptor s = this.streams.get(i);
            if (ids.contains(s.streamId())) {
                throw new IllegalArgumentException("chip source: stream id '" + s.streamId() + "' is used twice");
            }
            if (s.nominalRateHz() != first.nominalRateHz()) {
                throw new IllegalArgumentException("chip source: stream '" + s.streamId() + "' runs at "
                        + s.nominalRateHz() + " Hz but '" + first.streamId() + "' at " + first.nominalRateHz()
                        + " Hz; streams of one conversion clock share its rate");
            }
            ids.add(s.streamId());
            writers[i] = new StreamWriter(s, ringSlots, blockSamples);
        }
        this.writer = writers[0];
        this.clock = new StreamClock(first.nominalRateHz(), driftWindowSeconds, 30_000);
    }

    /** Resets and programs the chip and starts conversions; throws when it cannot. */
    protected abstract void configure() throws BusException, ChipFault, InterruptedException;

    /** Reads frames until a fault (thrown) or until {@link #running()} is false (returns). */
    protected abstract void acquire() throws BusException, ChipFault, InterruptedException;

    /** Puts the chip in a quiet state at shutdown; best effort. */
    protected void quiesce() {
    }

    /** Releases the buses. */
    protected abstract void releaseBuses();

    @Override
    public List<StreamDescriptor> streams() {
        return streams;
    }

    @Override
    public BlockRing ring(String streamId) {
        for (StreamWriter w : writers) {
            if (w.stream().streamId().equals(streamId)) {
                return w.ring();
            }
        }
        throw new IllegalArgumentException(getClass().getSimpleName() + " has no stream '" + streamId
                + "'; it has " + (writers.length == 1 ? "'" + writer.stream().streamId() + "'"
                : streams.stream().map(StreamDescriptor::streamId).toList()));
    }

    /** The first (for most chips the only) stream; technical events carry its id. */
    public StreamDescriptor stream() {
        return writer.stream();
    }

    @Override
    public synchronized void start() {
        if (thread != null || closed) {
            throw new IllegalStateException(stream().streamId() + ": already started or closed");
        }
        running = true;
        time.register();
        thread = Thread.ofPlatform().name("acq-" + stream().streamId()).daemon(true).unstarted(this::run);
        thread.start();
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        running = false;
        if (thread != null) {
            thread.interrupt();
            boolean interrupted = false;
            while (thread.isAlive()) {
                try {
                    thread.join();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        releaseBuses();
    }

    protected final boolean running() {
        return running;
    }

    private void run() {
        try {
            while (running) {
                try {
                    prepareSequence();
                    configure();
                    everConfigured = true;
                    acquire();
                } catch (ChipFault f) {
                    fault(f.type(), f.getMessage());
                } catch (I2cNackException e) {
                    fault(TechnicalEventType.I2C_NACK, e.getMessage());
                } catch (BusException e) {
                    fault(TechnicalEventType.PORT_LOST, e.getMessage());
                }
            }
        } catch (InterruptedException e) {
            // close() stops us
        } catch (Throwable t) {
            failure = t;
            throw t;
        } finally {
            flushAll();
            if (!running) {
                quiesce();
            }
            time.deregister();
        }
    }

    private void flushAll() {
        for (StreamWriter w : writers) {
            w.flush();
        }
    }

    private void fault(TechnicalEventType type, String detail) throws InterruptedException {
        flushAll();
        healthy = false;
        faults++;
        faulted = true;
        report(type, detail);
        time.sleepUntil(time.nanoTime() + backoff.nextDelayNanos());
    }

    /** Where sequence numbers resume: after a fault, by the time elapsed at the estimated rate. */
    private void prepareSequence() {
        resumeSeq = expectedSeq;
        if (everConfigured) {
            long byTime = clock.sequenceAt(time.nanoTime());
            if (byTime > resumeSeq) {
                resumeSeq = byTime;
            }
            clock.reset();
        }
    }

    /**
     * The sequence number the first frame after this configuration gets (valid in {@link #configure()}): the next
     * one on the first start, or after a fault the one the chip would have reached by now, so the outage becomes a
     * gap.
     */
    protected final long resumeSequence() {
        return resumeSeq;
    }

    /**
     * Publishes one frame with its sequence number, observed at {@code hostNanos}. A sequence number above the
     * expected one records a gap of the difference (and a {@link TechnicalEventType#SAMPLES_LOST} event).
     */
    protected final void emit(long seq, double[] frame, long hostNanos) {
        observe(seq, hostNanos);
        emit(seq, frame);
    }

    /** Feeds the drift estimator: sample {@code seq} was seen at {@code hostNanos}. */
    protected final void observe(long seq, long hostNanos) {
        clock.observe(seq, hostNanos);
        boolean out = clock.driftOutOfRange();
        if (out && !driftReported) {
            report(TechnicalEventType.CLOCK_DRIFT_OUT_OF_RANGE, String.format("estimated drift %.0f ppm",
                    clock.driftPpm()));
        }
        driftReported = out;
    }

    /**
     * Publishes one frame with its sequence number (timestamps from the stream clock) into the first stream; a source
     * of several streams uses {@link #emitAll(long, double[][])}.
     */
    protected final void emit(long seq, double[] frame) {
        account(seq);
        writer.put(seq, frame, clock);
    }

    /**
     * Publishes one conversion into every stream: {@code frames[i]} is the frame of stream {@code i} (in the order
     * of {@link #streams()}), all with sequence number {@code seq}. Allocation-free.
     */
    protected final void emitAll(long seq, double[][] frames) {
        account(seq);
        for (int i = 0; i < writers.length; i++) {
            writers[i].put(seq, frames[i], clock);
        }
    }

    /** Health, recovery and gap accounting of one published conversion. */
    private void account(long seq) {
        if (!healthy) {
            healthy = true;
            if (faulted) {
                recoveries++;
                faulted = false;
                report(TechnicalEventType.RECOVERED, "acquiring again after " + backoff.attempts()
                        + " failed attempt(s)");
            }
            backoff.reset();
        }
        if (seq > expectedSeq) {
            long lost = seq - expectedSeq;
            gaps++;
            lostSamples += lost;
            report(TechnicalEventType.SAMPLES_LOST, lost + " sample(s) lost before sequence " + seq);
        }
        expectedSeq = seq + 1;
        frames++;
    }

    /** Sends a technical event to the listener; never throws. */
    protected final void report(TechnicalEventType type, String detail) {
        try {
            listener.onEvent(new TechnicalEvent(type, stream().streamId(), time.nanoTime(), detail));
        } catch (RuntimeException e) {
            // a listener must not stop acquisition
        }
    }

    /** Gaps recorded (runs of lost samples). */
    public long gaps() {
        return gaps;
    }

    /** Samples lost in gaps. */
    public long lostSamples() {
        return lostSamples;
    }

    /** Faults reported. */
    public long faults() {
        return faults;
    }

    /** Successful reconfigurations after a fault. */
    public long recoveries() {
        return recoveries;
    }

    /** Frames published (or dropped on a full ring). */
    public long frames() {
        return frames;
    }

    /** Samples dropped because the consumer's ring was full (summed over the streams). */
    public long droppedSamples() {
        long n = 0;
        for (StreamWriter w : writers) {
            n += w.droppedSamples();
        }
        return n;
    }

    /** The stream's timestamping and drift estimate (read-only use from other threads). */
    public StreamClock streamClock() {
        return clock;
    }

    /** What stopped the acquisition thread unexpectedly, or null. */
    public Throwable failure() {
        return failure;
    }
}
