package org.cardiogate.signal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A single-producer, single-consumer ring of preallocated {@link SampleBlock}s: the only way blocks move between
 * an acquisition thread and the DSP thread. Lock-free and allocation-free.
 *
 * <p>Producer thread: {@link #claim()}, fill the block, {@link #publish()}. When the ring is full, {@code claim()}
 * returns {@code null} and counts an overrun: acquisition never waits for DSP. The source keeps counting its
 * sample sequence, so the consumer sees the lost samples as a gap.
 *
 * <p>Consumer thread: {@link #peek()}, read the block, {@link #release()}.
 */
public final class BlockRing {
    private static final VarHandle HEAD;
    private static final VarHandle TAIL;
    private static final VarHandle OVERRUNS;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            HEAD = l.findVarHandle(BlockRing.class, "head", long.class);
            TAIL = l.findVarHandle(BlockRing.class, "tail", long.class);
            OVERRUNS = l.findVarHandle(BlockRing.class, "overruns", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final SampleBlock[] blocks;
    private final int mask;
    /** Next slot the consumer reads; written by the consumer only. */
    @SuppressWarnings("unused")
    private volatile long head;
    /** Next slot the producer writes; written by the producer only. */
    @SuppressWarnings("unused")
    private volatile long tail;
    @SuppressWarnings("unused")
    private volatile long overruns;

    /**
     * @param stream        the stream whose blocks this ring carries
     * @param slots         number of blocks, a power of two
     * @param blockCapacity samples per block and channel
     */
    public BlockRing(StreamDescriptor stream, int slots, int blockCapacity) {
        if (slots < 2 || Integer.bitCount(slots) != 1) {
            throw new IllegalArgumentException("ring slots must be a power of two >= 2, got " + slots);
        }
        blocks = new SampleBlock[slots];
        for (int i = 0; i < slots; i++) {
            blocks[i] = new SampleBlock(stream, blockCapacity);
        }
        mask = slots - 1;
    }

    /** Producer: the next free block, or {@code null} (counted as an overrun) when the consumer is behind. */
    public SampleBlock claim() {
        long t = (long) TAIL.getOpaque(this);
        if (t - (long) HEAD.getAcquire(this) >= blocks.length) {
            OVERRUNS.getAndAdd(this, 1L);
            return null;
        }
        return blocks[(int) (t & mask)];
    }

    /** Producer: makes the block returned by the last {@link #claim()} visible to the consumer. */
    public void publish() {
        TAIL.setRelease(this, (long) TAIL.getOpaque(this) + 1);
    }

    /** Consumer: the oldest published block, or {@code null} when there is none. */
    public SampleBlock peek() {
        long h = (long) HEAD.getOpaque(this);
        if (h >= (long) TAIL.getAcquire(this)) {
            return null;
        }
        return blocks[(int) (h & mask)];
    }

    /** Consumer: gives the block returned by {@link #peek()} back to the producer. */
    public void release() {
        HEAD.setRelease(this, (long) HEAD.getOpaque(this) + 1);
    }

    /** Blocks published and not yet released (approximate when read from a third thread). */
    public int size() {
        return (int) ((long) TAIL.getAcquire(this) - (long) HEAD.getAcquire(this));
    }

    /** Samples per block and channel. */
    public int blockCapacity() {
        return blocks[0].capacity();
    }

    public int slots() {
        return blocks.length;
    }

    /** Number of times the producer found the ring full. */
    public long overruns() {
        return (long) OVERRUNS.getAcquire(this);
    }
}
