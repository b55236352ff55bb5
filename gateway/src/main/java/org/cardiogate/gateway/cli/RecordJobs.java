package org.cardiogate.gateway.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs one job per record on up to {@code jobs} threads and hands the outcomes to the caller's thread in input
 * order, so that the console output and the files written do not depend on the number of threads. Records are
 * independent (each gets its own DSP chain); only a shared beat classifier needs serialising, see
 * {@link org.cardiogate.gateway.analysis.Classifiers#shared}.
 */
final class RecordJobs {
    /** The work done for one record, on a worker thread. */
    @FunctionalInterface
    interface Job<I, R> {
        R run(I input) throws Exception;
    }

    /** Receives each record's outcome on the calling thread, in input order: a result or the job's failure. */
    interface Outcome<I, R> {
        void done(int index, I input, R result);

        void failed(int index, I input, Exception error);
    }

    private RecordJobs() {
    }

    /** Default thread count: the processors available, at most one per record, at least one. */
    static int defaultJobs(int records) {
        return Math.max(1, Math.min(Runtime.getRuntime().availableProcessors(), records));
    }

    /**
     * Checks a {@code --jobs} value.
     *
     * @throws IllegalArgumentException naming the option when {@code jobs} is not 0 (automatic) or 1..256
     */
    static int resolve(int jobs, int records) {
        if (jobs < 0 || jobs > 256) {
            throw new IllegalArgumentException("--jobs must be between 1 and 256 (0: one per processor), got " + jobs);
        }
        return jobs == 0 ? defaultJobs(records) : Math.min(jobs, Math.max(1, records));
    }

    static <I, R> void run(List<I> inputs, int jobs, Job<I, R> job, Outcome<I, R> outcome) {
        if (jobs <= 1) {
            for (int i = 0; i < inputs.size(); i++) {
                deliver(i, inputs.get(i), job, outcome);
            }
            return;
        }
        AtomicInteger n = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(jobs, r -> {
            Thread t = new Thread(r, "analyze-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<R>> futures = new ArrayList<>(inputs.size());
            for (I input : inputs) {
                futures.add(pool.submit(() -> job.run(input)));
            }
            for (int i = 0; i < inputs.size(); i++) {
                try {
                    outcome.done(i, inputs.get(i), futures.get(i).get());
                } catch (ExecutionException e) {
                    Throwable c = e.getCause();
                    if (c instanceof Error err) {
                        throw err;
                    }
                    outcome.failed(i, inputs.get(i), c instanceof Exception ex ? ex : new RuntimeException(c));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while analysing " + inputs.get(i), e);
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static <I, R> void deliver(int i, I input, Job<I, R> job, Outcome<I, R> outcome) {
        R r;
        try {
            r = job.run(input);
        } catch (Exception e) {
            outcome.failed(i, input, e);
            return;
        }
        outcome.done(i, input, r);
    }
}
