package org.cardiogate.sensor.sim;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;

import org.cardiogate.sensor.SensorSource;
import org.cardiogate.signal.BlockRing;
import org.cardiogate.signal.MonotonicClock;
import org.cardiogate.signal.SampleBlock;
import org.cardiogate.signal.SampleTimeline;
import org.cardiogate.signal.StreamDescriptor;

/**
 * The {@link PhysiologySimulator} behind the {@link SensorSource} seam: one {@link BlockRing} per stream (ecg, ppg,
 * scg) fed by an acquisition thread, so the DSP thread sees what a chip driver would produce.
 *
 * <p>Blocks hold about {@value #BLOCK_MILLIS} ms of samples (10 at 500 Hz, 2 at 100 Hz). Each block's
 * {@code firstSequence} is the stream's sample counter, its timestamp comes from a {@link SampleTimeline} anchored at
 * the clock's time when {@link #start()} was called (sample 0 of every stream), so ground-truth time {@code s}
 * seconds of a {@link SimulatedBeat} is monotonic time {@code startNanos() + s * 1e9}.
 *
 * <p>Pacing: with {@link Pacing#REAL_TIME} a block is published when the injected clock reaches the time of its last
 * sample (the thread parks between blocks, at most {@value #MAX_PARK_MILLIS} ms at a time so a hand-advanced clock is
 * followed promptly). With {@link Pacing#UNPACED} blocks are generated as fast as possible. In both modes a full ring
 * drops the block (the ring counts the overrun) while the sample counter advances, so the consumer sees a gap. Only
 * {@link Pacing#UNPACED_LOSSLESS}, meant for offline tests, waits for the consumer when the ring is full. Blocks of
 * the three streams are produced in order of their end time, so the streams stay aligned.
 *
 * <p>Threading: one platform thread named {@value #THREAD_NAME} generates and publishes; the consumer (DSP thread)
 * reads the rings. {@link #simulator()}'s run-time setters may be called from any thread; its ground-truth listener
 * runs on the acquisition thread.
 */
public final class SimulatorSource implements SensorSource {
    public static final String THREAD_NAME = "acq-simulator";
    public static final int DEFAULT_RING_SLOTS = 64;
    public static final int BLOCK_MILLIS = 20;
    static final long MAX_PARK_MILLIS = 5;

    /** How the acquisition thread paces generation. */
    public enum Pacing {
        /** Blocks appear when the clock reaches their last sample; a full ring drops blocks. */
        REAL_TIME,
        /** As fast as possible; a full ring drops blocks. */
        UNPACED,
        /** As fast as possible, waiting while a ring is full: nothing is lost. For offline tests only. */
        UNPACED_LOSSLESS
    }

    private final PhysiologySimulator simulator;
    private final MonotonicClock clock;
    private final Pacing pacing;
    private final double durationSeconds;
    private final List<StreamDescriptor> streams;
    private final BlockRing[] rings;
    private final SampleBlock[] scratch;
    private final SampleTimeline[] timelines;
    private final int[] blockLength;
    private final double[] periodSeconds;
    private final AtomicLongArray produced;
    private final java.util.concurrent.atomic.AtomicIntegerArray disconnected;

    private volatile boolean running;
    private volatile boolean finished;
    private volatile Throwable failure;
    private volatile long startNanos;
    private Thread thread;
    private boolean closed;

    /** A real-time source with {@value #DEFAULT_RING_SLOTS}-slot rings that runs until closed. */
    public SimulatorSource(SimulatorConfig config, MonotonicClock clock) {
        this(new PhysiologySimulator(config), clock, Pacing.REAL_TIME, DEFAULT_RING_SLOTS, Double.POSITIVE_INFINITY);
    }

    /**
     * @param simulator       the generator; from now on only this source's thread may call its {@code fill} methods
     * @param clock           the monotonic clock that anchors timestamps and, in real time, paces generation
     * @param pacing          real time, unpaced or unpaced without loss
     * @param ringSlots       blocks per ring, a power of two
     * @param durationSeconds the thread stops (see {@link #isFinished()}) before the first block that would end after
     *                        this much signal; {@link Double#POSITIVE_INFINITY} runs until {@link #close()}
     */
    public SimulatorSource(PhysiologySimulator simulator, MonotonicClock clock, Pacing pacing, int ringSlots,
                           double durationSeconds) {
        this.simulator = Objects.requireNonNull(simulator, "simulator");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.pacing = Objects.requireNonNull(pacing, "pacing");
        if (!(durationSeconds > 0)) {
            throw new IllegalArgumentException("simulator source duration must be > 0 s, got " + durationSeconds);
        }
        this.durationSeconds = durationSeconds;
        this.streams = simulator.streams();
        int n = streams.size();
        rings = new BlockRing[n];
        scratch = new SampleBlock[n];
        timelines = new SampleTimeline[n];
        blockLength = new int[n];
        periodSeconds = new double[n];
        produced = new AtomicLongArray(n);
        disconnected = new java.util.concurrent.atomic.AtomicIntegerArray(n);
        for (int i = 0; i < n; i++) {
            StreamDescriptor d = streams.get(i);
            blockLength[i] = Math.max(1, (int) Math.round(d.nominalRateHz() * BLOCK_MILLIS / 1000.0));
            periodSeconds[i] = 1.0 / d.nominalRateHz();
            rings[i] = new BlockRing(d, ringSlots, blockLength[i]);
            scratch[i] = new SampleBlock(d, blockLength[i]);
        }
    }

    /** The generator, for run-time changes (heart rate, ectopic beats) and the ground-truth listener. */
    public PhysiologySimulator simulator() {
        return simulator;
    }

    @Override
    public List<StreamDescriptor> streams() {
        return streams;
    }

    @Override
    public BlockRing ring(String streamId) {
        for (int i = 0; i < streams.size(); i++) {
            if (streams.get(i).streamId().equals(streamId)) {
                return rings[i];
            }
        }
        throw new IllegalArgumentException("the simulator has no stream '" + streamId + "'; it has ecg, ppg, scg");
    }

    /** Samples per block of a stream. */
    public int blockLength(String streamId) {
        return blockLength[indexOf(streamId)];
    }

    /** Monotonic time of sample 0 of every stream; valid after {@link #start()}. */
    public long startNanos() {
        return startNanos;
    }

    /** Samples generated so far for a stream, published or dropped (read from any thread). */
    public long samplesProduced(String streamId) {
        return produced.get(indexOf(streamId));
    }

    /** True once the configured duration has been generated. */
    public boolean isFinished() {
        return finished;
    }

    /** What stopped the acquisition thread, or {@code null}. */
    public Throwable failure() {
        return failure;
    }

    @Override
    public synchronized void start() {
        if (thread != null || closed) {
            throw new IllegalStateException("simulator source already started or closed");
        }
        long t0 = clock.nanoTime();
        startNanos = t0;
        for (int i = 0; i < streams.size(); i++) {
            timelines[i] = new SampleTimeline(streams.get(i).nominalRateHz(), 0, t0);
        }
        running = true;
        thread = Thread.ofPlatform().name(THREAD_NAME).daemon(true).unstarted(this::run);
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
            LockSupport.unpark(thread);
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
    }

    private int indexOf(String streamId) {
        for (int i = 0; i < streams.size(); i++) {
            if (streams.get(i).streamId().equals(streamId)) {
                return i;
            }
        }
        throw new IllegalArgumentException("the simulator has no stream '" + streamId + "'; it has ecg, ppg, scg");
    }

    private void run() {
        try {
            while (running) {
                int next = -1;
                double nextEnd = Double.POSITIVE_INFINITY;
                for (int i = 0; i < rings.length; i++) {
                    long seq = simulator.nextSequence(streams.get(i).modality());
                    double end = (seq + blockLength[i] - 1) * periodSeconds[i];
                    if (end < nextEnd) {
                        nextEnd = end;
                        next = i;
                    }
                }
                if (nextEnd > durationSeconds) {
                    finished = true;
                    return;
                }
                if (pacing == Pacing.REAL_TIME) {
                    long seq = simulator.nextSequence(streams.get(next).modality());
                    long due = timelines[next].timestampOf(seq + blockLength[next] - 1);
                    long wait = due - clock.nanoTime();
                    if (wait > 0) {
                        LockSupport.parkNanos(this, Math.min(wait, MAX_PARK_MILLIS * 1_000_000L));
                        continue;
                    }
                }
                produce(next);
            }
        } catch (Throwable t) {
            failure = t;
            throw t;
        }
    }

    /**
     * Connects or disconnects one stream, like a sensor unplugged and plugged back: while disconnected its samples
     * are generated and counted but not published, so the consumer sees a sequence gap of exactly that length.
     * Any thread.
     */
    public void setConnected(String streamId, boolean connected) {
        for (int i = 0; i < streams.size(); i++) {
            if (streams.get(i).streamId().equals(streamId)) {
                disconnected.set(i, connected ? 0 : 1);
                return;
            }
        }
        throw new IllegalArgumentException("the simulator has no stream '" + streamId + "'");
    }

    private void produce(int i) {
        BlockRing ring = rings[i];
        if (disconnected.get(i) != 0) {
            long seq = simulator.nextSequence(streams.get(i).modality());
            simulator.fill(scratch[i], blockLength[i], timelines[i].timestampOf(seq));
            produced.set(i, seq + blockLength[i]);
            return;
        }
        if (pacing == Pacing.UNPACED_LOSSLESS) {
            while (ring.size() >= ring.slots()) {
                if (!running) {
                    return;
                }
                LockSupport.parkNanos(this, 100_000L);
            }
        }
        SampleBlock block = ring.claim();
        long seq = simulator.nextSequence(streams.get(i).modality());
        long timestamp = timelines[i].timestampOf(seq);
        if (block == null) {
            simulator.fill(scratch[i], blockLength[i], timestamp);
        } else {
            simulator.fill(block, blockLength[i], timestamp);
            ring.publish();
        }
        produced.set(i, seq + blockLength[i]);
    }
}
