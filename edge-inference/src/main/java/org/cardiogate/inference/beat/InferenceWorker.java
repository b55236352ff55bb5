package org.cardiogate.inference.beat;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import org.cardiogate.signal.AamiClass;
import org.cardiogate.signal.MonotonicClock;

/**
 * Runs a {@link BeatClassifier} off the real-time thread. The DSP thread {@link #submit submits} each beat's
 * features into a bounded single-producer queue of preallocated slots; it never blocks and never allocates: when
 * the queue is full the beat is dropped and counted. The worker thread takes up to {@code maxBatch} beats, waiting
 * at most {@code maxDelayNanos} after the oldest one arrived for more, runs the classifier on the batch and hands
 * each beat's class to the {@link Sink}. A batch that fails is counted and its beats get no class; the worker
 * carries on with the next.
 *
 * <p>Threading: {@link #submit} from one producer thread only; the sink is called on the worker thread.
 */
public final class InferenceWorker implements AutoCloseable {
    private static final int WIN = BeatFeatures.CHANNELS * BeatFeatures.WINDOW;
    private static final int RR = BeatFeatures.RR_FEATURES;
    private static final int CLASSES = AamiClass.values().length;
    private static final AamiClass[] CLASS_VALUES = AamiClass.values();

    /** Receives classified beats on the worker thread. */
    @FunctionalInterface
    public interface Sink {
        /**
         * @param stream      the stream index given to {@link #submit}
         * @param rSample     the beat's R sample
         * @param beatClass   the most probable class
         * @param probability its probability
         */
        void onBeatClass(int stream, long rSample, AamiClass beatClass, float probability);
    }

    /**
     * @param queueCapacity beats the queue holds (rounded up to a power of two)
     * @param maxBatch      beats per classifier call at most
     * @param maxDelayNanos longest a beat waits for its batch to fill, in nanoseconds
     */
    public record Config(int queueCapacity, int maxBatch, long maxDelayNanos) {
        /** 256 beats, batches of up to 32, 50 ms. */
        public static final Config DEFAULTS = new Config(256, 32, 50_000_000L);

        public Config {
            if (queueCapacity < 1 || queueCapacity > 1 << 16) {
                throw new IllegalArgumentException("inference.queueCapacity must be between 1 and 65536, got " + queueCapacity);
            }
            if (maxBatch < 1 || maxBatch > 1024) {
                throw new IllegalArgumentException("inference.maxBatch must be between 1 and 1024, got " + maxBatch);
            }
            if (maxDelayNanos < 0) {
                throw new IllegalArgumentException("inference.maxDelay must not be negative, got " + maxDelayNanos + " ns");
            }
        }
    }

    private final BeatClassifier classifier;
    private final Config config;
    private final MonotonicClock clock;
    private final Sink sink;
    private final int mask;
    private final int[] slotStream;
    private final long[] slotSample;
    private final long[] slotArrival;
    private final float[] slotWindows;
    private final float[] slotRr;
    /** Next slot the producer writes; written by the producer only. */
    private final AtomicLong head = new AtomicLong();
    /** Next slot the worker reads; written by the worker only. */
    private final AtomicLong tail = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong classified = new AtomicLong();
    private final AtomicLong failedBatches = new AtomicLong();
    private final AtomicLong batches = new AtomicLong();
    private final AtomicLong busyNanos = new AtomicLong();
    private final float[] batchWindows;
    private final float[] batchRr;
    private final float[] batchProbs;
    private final int[] batchStream;
    private final long[] batchSample;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile String lastError = "";

    /** Creates the worker and starts its thread (a platform daemon thread named {@code inference-worker}). */
    public InferenceWorker(BeatClassifier classifier, Config config, MonotonicClock clock, Sink sink) {
        this.classifier = Objects.requireNonNull(classifier, "classifier");
        this.config = Objects.requireNonNull(config, "config");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.sink = Objects.requireNonNull(sink, "sink");
        int cap = Integer.highestOneBit(Math.max(1, config.queueCapacity() - 1)) << 1;
        cap = Math.max(cap, config.queueCapacity());
        this.mask = cap - 1;
        slotStream = new int[cap];
        slotSample = new long[cap];
        slotArrival = new long[cap];
        slotWindows = new float[cap * WIN];
        slotRr = new float[cap * RR];
        batchWindows = new float[config.maxBatch() * WIN];
        batchRr = new float[config.maxBatch() * RR];
        batchProbs = new float[config.maxBatch() * CLASSES];
        batchStream = new int[config.maxBatch()];
        batchSample = new long[config.maxBatch()];
        thread = new Thread(this::run, "inference-worker");
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * Queues one beat; never blocks. The arrays are copied before this returns.
     *
     * @return false if the queue was full and the beat was dropped (counted in {@link #dropped()})
     */
    public boolean submit(int stream, long rSample, float[] window, float[] rr) {
        long h = head.get();
        if (h - tail.get() > mask) {
            dropped.incrementAndGet();
            return false;
        }
        int slot = (int) (h & mask);
        slotStream[slot] = stream;
        slotSample[slot] = rSample;
        slotArrival[slot] = clock.nanoTime();
        System.arraycopy(window, 0, slotWindows, slot * WIN, WIN);
        System.arraycopy(rr, 0, slotRr, slot * RR, RR);
        head.lazySet(h + 1);
        LockSupport.unpark(thread);
        return true;
    }

    private void run() {
        while (running || head.get() != tail.get()) {
            long t = tail.get();
            long available = head.get() - t;
            if (available == 0) {
                LockSupport.parkNanos(this, 1_000_000L);
                continue;
            }
            if (available < config.maxBatch() && running) {
                long waited = clock.nanoTime() - slotArrival[(int) (t & mask)];
                if (waited < config.maxDelayNanos()) {
                    LockSupport.parkNanos(this, Math.min(1_000_000L, config.maxDelayNanos() - waited));
                    continue;
                }
            }
            int n = (int) Math.min(available, config.maxBatch());
            for (int i = 0; i < n; i++) {
                int slot = (int) ((t + i) & mask);
                batchStream[i] = slotStream[slot];
                batchSample[i] = slotSample[slot];
                System.arraycopy(slotWindows, slot * WIN, batchWindows, i * WIN, WIN);
                System.arraycopy(slotRr, slot * RR, batchRr, i * RR, RR);
            }
            tail.lazySet(t + n);
            runBatch(n);
        }
    }

    private void runBatch(int n) {
        long start = clock.nanoTime();
        try {
            classifier.classify(batchWindows, batchRr, n, batchProbs);
        } catch (BeatClassifierException | RuntimeException e) {
            failedBatches.incrementAndGet();
            lastError = e.getMessage() == null ? e.toString() : e.getMessage();
            return;
        } finally {
            busyNanos.addAndGet(clock.nanoTime() - start);
            batches.incrementAndGet();
        }
        for (int i = 0; i < n; i++) {
            int c = OnnxBeatClassifier.argmax(batchProbs, i);
            sink.onBeatClass(batchStream[i], batchSample[i], CLASS_VALUES[c], batchProbs[i * CLASSES + c]);
        }
        classified.addAndGet(n);
    }

    /** Beats dropped because the queue was full. */
    public long dropped() {
        return dropped.get();
    }

    /** Beats classified and delivered. */
    public long classified() {
        return classified.get();
    }

    /** Classifier calls made. */
    public long batches() {
        return batches.get();
    }

    /** Classifier calls that failed (their beats got no class). */
    public long failedBatches() {
        return failedBatches.get();
    }

    /** Message of the last failure, empty if none. */
    public String lastError() {
        return lastError;
    }

    /** Total time spent inside the classifier, nanoseconds. */
    public long busyNanos() {
        return busyNanos.get();
    }

    /** Beats waiting in the queue now. */
    public int queued() {
        return (int) (head.get() - tail.get());
    }

    /** Classifies what is queued, stops the thread (waiting up to 5 s) and closes the classifier. */
    @Override
    public void close() {
        running = false;
        LockSupport.unpark(thread);
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        classifier.close();
    }
}
