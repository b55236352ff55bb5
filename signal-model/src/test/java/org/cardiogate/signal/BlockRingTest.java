package org.cardiogate.signal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

class BlockRingTest {
    private static final StreamDescriptor ECG = new StreamDescriptor("ecg", "test", Modality.ECG,
            List.of(new Channel("I", "mV"), new Channel("II", "mV")), 500);

    @Test
    void aFullRingRefusesTheProducerAndCountsAnOverrun() {
        BlockRing ring = new BlockRing(ECG, 4, 8);
        for (int i = 0; i < 4; i++) {
            assertThat(ring.claim()).isNotNull();
            ring.publish();
        }
        assertThat(ring.claim()).isNull();
        assertThat(ring.overruns()).isEqualTo(1);
        assertThat(ring.peek()).isNotNull();
        ring.release();
        assertThat(ring.claim()).isNotNull();
        assertThat(ring.size()).isEqualTo(3);
    }

    @Test
    void emptyRingHasNothingToPeek() {
        BlockRing ring = new BlockRing(ECG, 2, 8);
        assertThat(ring.peek()).isNull();
    }

    @Test
    void slotsMustBeAPowerOfTwo() {
        assertThatThrownBy(() -> new BlockRing(ECG, 6, 8)).hasMessageContaining("power of two");
    }

    /** A producer and a consumer thread hand over a million samples; every sequence number arrives once, in order. */
    @Test
    void blocksCrossThreadsInOrderWithoutLossWhenTheConsumerKeepsUp() throws Exception {
        BlockRing ring = new BlockRing(ECG, 8, 16);
        long total = 1_000_000;
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread producer = new Thread(() -> {
            long seq = 0;
            while (seq < total) {
                SampleBlock b = ring.claim();
                if (b == null) {
                    Thread.onSpinWait();
                    continue;
                }
                b.begin(seq, seq * 2_000_000L);
                for (int i = 0; i < b.capacity(); i++) {
                    b.set(0, i, seq + i);
                    b.set(1, i, -(seq + i));
                }
                b.setLength(b.capacity());
                seq += b.capacity();
                ring.publish();
            }
        });
        producer.setUncaughtExceptionHandler((t, e) -> failure.set(e));
        producer.start();
        SequenceTracker tracker = new SequenceTracker(1 << 20);
        long received = 0;
        while (received < total) {
            SampleBlock b = ring.peek();
            if (b == null) {
                Thread.onSpinWait();
                continue;
            }
            assertThat(tracker.accept(b.firstSequence(), b.length())).isEqualTo(SequenceTracker.Result.CONTIGUOUS);
            for (int i = 0; i < b.length(); i++) {
                assertThat(b.get(0, i)).isEqualTo((double) (b.firstSequence() + i));
                assertThat(b.get(1, i)).isEqualTo((double) -(b.firstSequence() + i));
            }
            received += b.length();
            ring.release();
        }
        producer.join();
        assertThat(failure.get()).isNull();
        assertThat(received).isEqualTo(total);
        assertThat(tracker.gaps()).isZero();
    }
}
