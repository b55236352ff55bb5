package org.cardiogate.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

class BoundedInboxTest {

    @Test
    void roundsCapacityUpToAPowerOfTwo() {
        assertThat(new BoundedInbox<String>(1).capacity()).isEqualTo(1);
        assertThat(new BoundedInbox<String>(100).capacity()).isEqualTo(128);
        assertThat(new BoundedInbox<String>(1024).capacity()).isEqualTo(1024);
    }

    @Test
    void rejectsAZeroCapacityNamingTheProblem() {
        assertThatThrownBy(() -> new BoundedInbox<String>(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("inbox capacity");
    }

    @Test
    void refusesOffersWhenFullAndAcceptsAgainAfterAPoll() {
        BoundedInbox<Integer> inbox = new BoundedInbox<>(4);
        for (int i = 0; i < 4; i++) {
            assertThat(inbox.offer(i)).isTrue();
        }
        assertThat(inbox.offer(99)).isFalse();
        assertThat(inbox.poll()).isEqualTo(0);
        assertThat(inbox.offer(4)).isTrue();
        List<Integer> rest = new ArrayList<>();
        Integer item;
        while ((item = inbox.poll()) != null) {
            rest.add(item);
        }
        assertThat(rest).containsExactly(1, 2, 3, 4);
    }

    @Test
    void deliversEveryAcceptedItemOnceAndInEachProducersOrder() throws Exception {
        int producers = 3;
        int perProducer = 200_000;
        BoundedInbox<long[]> inbox = new BoundedInbox<>(256);
        AtomicLong rejected = new AtomicLong();
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int p = 0; p < producers; p++) {
            int producer = p;
            Thread t = new Thread(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                for (int i = 0; i < perProducer; i++) {
                    if (!inbox.offer(new long[] {producer, i})) {
                        rejected.incrementAndGet();
                    }
                }
            });
            threads.add(t);
            t.start();
        }
        long[] lastSeen = {-1, -1, -1};
        long received = 0;
        go.countDown();
        while (true) {
            long[] item = inbox.poll();
            if (item == null) {
                boolean producersDone = threads.stream().noneMatch(Thread::isAlive);
                item = inbox.poll();
                if (item == null) {
                    if (producersDone) {
                        break;
                    }
                    Thread.onSpinWait();
                    continue;
                }
            }
            int producer = (int) item[0];
            assertThat(item[1]).as("producer %d order", producer).isGreaterThan(lastSeen[producer]);
            lastSeen[producer] = item[1];
            received++;
        }
        for (Thread t : threads) {
            t.join();
        }
        assertThat(received + rejected.get()).isEqualTo((long) producers * perProducer);
        assertThat(received).isPositive();
    }
}
