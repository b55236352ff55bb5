package org.cardiogate.inference.beat;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.cardiogate.signal.AamiClass;
import org.cardiogate.signal.MonotonicClock;
import org.junit.jupiter.api.Test;

class InferenceWorkerTest {

    /** The real model behind a gate: each batch waits for the gate, then sleeps, as a slow or stuck model would. */
    private static final class SlowModel implements BeatClassifier {
        final BeatClassifier real;
        final CountDownLatch gate;
        final long sleepMillis;
        final AtomicInteger calls = new AtomicInteger();
        final ConcurrentLinkedQueue<Integer> batchSizes = new ConcurrentLinkedQueue<>();

        SlowModel(BeatClassifier real, CountDownLatch gate, long sleepMillis) {
            this.real = real;
            this.gate = gate;
            this.sleepMillis = sleepMillis;
        }

        @Override
        public void classify(float[] windows, float[] rr, int n, float[] probsOut) throws BeatClassifierException {
            calls.incrementAndGet();
            batchSizes.add(n);
            try {
                gate.await();
                Thread.sleep(sleepMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            real.classify(windows, rr, n, probsOut);
        }

        @Override
        public String description() {
            return "slow " + real.description();
        }

        @Override
        public void close() {
            real.close();
        }
    }

    @Test
    void aStuckModelMakesTheQueueOverflowIntoCountedDropsWithoutBlockingTheProducer() throws Exception {
        List<Golden> golden = Golden.load();
        CountDownLatch gate = new CountDownLatch(1);
        SlowModel model = new SlowModel(OnnxBeatClassifier.loadDefault(InferenceConfig.CPU), gate, 20);
        ConcurrentLinkedQueue<Long> delivered = new ConcurrentLinkedQueue<>();
        InferenceWorker worker = new InferenceWorker(model, new InferenceWorker.Config(8, 4, 1_000_000L),
                MonotonicClock.SYSTEM, (stream, r, c, p) -> delivered.add(r));
        int submitted = 500;
        int accepted = 0;
        for (int i = 0; i < submitted; i++) {
            Golden g = golden.get(i % golden.size());
            if (worker.submit(0, i, g.window(), g.rr())) {
                accepted++;
            }
        }
        // every submit returned while the model was still stuck on its first batch
        assertThat(gate.getCount()).isEqualTo(1);
        assertThat(model.calls.get()).isLessThanOrEqualTo(1);
        assertThat(worker.dropped()).isEqualTo(submitted - accepted).isGreaterThan(submitted - 8 - 4 - 1);
        gate.countDown();
        worker.close();
        assertThat(worker.classified()).isEqualTo(accepted);
        assertThat(worker.classified() + worker.dropped()).isEqualTo(submitted);
        assertThat(delivered).hasSize(accepted);
        assertThat(model.batchSizes).allMatch(n -> n >= 1 && n <= 4);
    }

    @Test
    void deliversTheRealModelsClassesInBatchesOfAtMostMaxBatch() throws Exception {
        List<Golden> golden = Golden.load();
        SlowModel model = new SlowModel(OnnxBeatClassifier.loadDefault(InferenceConfig.CPU), new CountDownLatch(0), 0);
        ConcurrentLinkedQueue<long[]> results = new ConcurrentLinkedQueue<>();
        CountDownLatch done = new CountDownLatch(golden.size());
        try (InferenceWorker worker = new InferenceWorker(model, new InferenceWorker.Config(64, 6, 50_000_000L),
                MonotonicClock.SYSTEM, (stream, r, c, p) -> {
                    results.add(new long[] {stream, r, c.ordinal()});
                    done.countDown();
                })) {
            for (int i = 0; i < golden.size(); i++) {
                assertThat(worker.submit(2, i, golden.get(i).window(), golden.get(i).rr())).isTrue();
            }
            assertThat(done.await(30, TimeUnit.SECONDS)).isTrue();
            assertThat(worker.dropped()).isZero();
        }
        assertThat(model.batchSizes).allMatch(n -> n <= 6);
        assertThat(model.batchSizes.stream().mapToInt(Integer::intValue).sum()).isEqualTo(golden.size());
        long previous = -1;
        for (long[] r : results) {
            assertThat(r[0]).isEqualTo(2);
            assertThat(r[1]).isGreaterThan(previous);
            previous = r[1];
            float[] probs = golden.get((int) r[1]).probs();
            assertThat(AamiClass.values()[(int) r[2]]).isEqualTo(AamiClass.values()[OnnxBeatClassifier.argmax(probs, 0)]);
        }
    }

    @Test
    void aFailingBatchIsCountedAndLaterBatchesStillRun() throws Exception {
        List<Golden> golden = Golden.load();
        BeatClassifier real = OnnxBeatClassifier.loadDefault(InferenceConfig.CPU);
        AtomicInteger calls = new AtomicInteger();
        BeatClassifier flaky = new BeatClassifier() {
            @Override
            public void classify(float[] w, float[] r, int n, float[] p) throws BeatClassifierException {
                if (calls.incrementAndGet() == 1) {
                    throw new BeatClassifierException("device lost");
                }
                real.classify(w, r, n, p);
            }

            @Override
            public String description() {
                return "flaky";
            }

            @Override
            public void close() {
                real.close();
            }
        };
        CountDownLatch second = new CountDownLatch(1);
        try (InferenceWorker worker = new InferenceWorker(flaky, new InferenceWorker.Config(16, 1, 0),
                MonotonicClock.SYSTEM, (stream, r, c, p) -> second.countDown())) {
            worker.submit(0, 1, golden.get(0).window(), golden.get(0).rr());
            worker.submit(0, 2, golden.get(1).window(), golden.get(1).rr());
            assertThat(second.await(30, TimeUnit.SECONDS)).isTrue();
            assertThat(worker.failedBatches()).isEqualTo(1);
            assertThat(worker.lastError()).isEqualTo("device lost");
        }
    }
}
