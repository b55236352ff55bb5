package org.cardiogate.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class OutputQueueTest {

    @Test
    void returnsItemsInOrderWithTheirTimeAndSeq() {
        OutputQueue queue = new OutputQueue(3);
        assertThat(queue.offer("a", 100, 1)).isTrue();
        assertThat(queue.offer("b", 200, 2)).isTrue();
        assertThat(queue.poll()).isEqualTo("a");
        assertThat(queue.polledWallMillis()).isEqualTo(100);
        assertThat(queue.polledTag()).isEqualTo(1);
        assertThat(queue.poll()).isEqualTo("b");
        assertThat(queue.polledTag()).isEqualTo(2);
        assertThat(queue.poll()).isNull();
    }

    @Test
    void refusesOffersWhenFullAndAcceptsAgainAfterAPoll() {
        OutputQueue queue = new OutputQueue(2);
        assertThat(queue.offer("a", 0, 1)).isTrue();
        assertThat(queue.offer("b", 0, 2)).isTrue();
        assertThat(queue.offer("c", 0, 3)).isFalse();
        assertThat(queue.size()).isEqualTo(2);
        assertThat(queue.poll()).isEqualTo("a");
        assertThat(queue.offer("d", 0, 4)).isTrue();
        assertThat(queue.poll()).isEqualTo("b");
        assertThat(queue.poll()).isEqualTo("d");
        assertThat(queue.polledTag()).isEqualTo(4);
    }

    @Test
    void wrapsAroundManyTimesWithACapacityThatIsNotAPowerOfTwo() {
        OutputQueue queue = new OutputQueue(5);
        for (long i = 0; i < 10_000; i++) {
            assertThat(queue.offer(i, i * 10, i)).isTrue();
            if (i % 3 == 2) {
                queue.offer(-1L, 0, -1);
                queue.poll();
            }
            assertThat(queue.poll()).isNotNull();
        }
    }

    @Test
    void deliversEveryItemOnceAndInProducerOrderUnderConcurrentProducers() throws Exception {
        OutputQueue queue = new OutputQueue(64);
        int producers = 4;
        int perProducer = 50_000;
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int p = 0; p < producers; p++) {
            int id = p;
            threads.add(Thread.ofPlatform().daemon().start(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < perProducer; i++) {
                    while (!queue.offer(id, id, i)) {
                        Thread.yield();
                    }
                }
            }));
        }
        long[] lastSeq = {-1, -1, -1, -1};
        start.countDown();
        for (long total = 0; total < (long) producers * perProducer; ) {
            Object item = queue.poll();
            if (item == null) {
                Thread.yield();
                continue;
            }
            int id = (Integer) item;
            assertThat(queue.polledWallMillis()).isEqualTo(id);
            if (queue.polledTag() != lastSeq[id] + 1) {
                throw new AssertionError("producer " + id + ": seq " + queue.polledTag() + " after " + lastSeq[id]);
            }
            lastSeq[id] = queue.polledTag();
            total++;
        }
        for (Thread t : threads) {
            t.join();
        }
        assertThat(queue.poll()).isNull();
        assertThat(lastSeq).containsOnly(perProducer - 1);
    }

    @Test
    void rejectsAZeroCapacity() {
        assertThatThrownBy(() -> new OutputQueue(0)).hasMessageContaining("at least 1");
    }
}
