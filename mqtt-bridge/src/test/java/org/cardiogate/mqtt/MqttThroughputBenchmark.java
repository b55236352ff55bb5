package org.cardiogate.mqtt;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;

/**
 * Sustained publish throughput and end-to-end latency through Debian's mosquitto: one gateway (one publisher with a
 * durable outbox on the local disk) streams N patients, each 8-lead ECG at 500 Hz, PPG (2 channels) at 100 Hz and SCG
 * (3 axes) at 500 Hz in 50 ms blocks plus beats, vitals and alarms; a {@link GatewaySubscriber} in the same JVM
 * measures the latency from the block's creation ({@code t_ns}, {@link System#nanoTime()}) to its receipt.
 *
 * <p>Run: {@code java -cp <test classpath> org.cardiogate.mqtt.MqttThroughputBenchmark [patients,...] [seconds]}.
 * A load is sustained when everything produced was delivered by the end and the outbox did not grow.
 */
public final class MqttThroughputBenchmark {
    private MqttThroughputBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        String[] counts = (args.length > 0 ? args[0] : "1,10,50,100").split(",");
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        Path dir = Files.createTempDirectory("cardiogate-bench-");
        System.out.printf("%8s %10s %10s %10s %10s %9s %9s %9s %10s%n", "patients", "produced", "delivered", "msg/s",
                "MB/s", "p50 ms", "p99 ms", "max ms", "backlog");
        for (String c : counts) {
            run(Integer.parseInt(c.trim()), seconds, dir.resolve("n" + c.trim()));
        }
    }

    static void run(int patients, int seconds, Path dir) throws Exception {
        Files.createDirectories(dir);
        try (MosquittoProcess broker = MosquittoProcess.start(dir, List.of("max_queued_messages 0"))) {
            Histogram latency = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
            AtomicLong delivered = new AtomicLong();
            AtomicLong bytes = new AtomicLong();
            long warmupEnd = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
            GatewaySubscriber.Options options = GatewaySubscriber.Options.of(broker.tcpUri(), "bench-consumer")
                    .withCleanSession(true).withGateways(List.of("bench"));
            try (GatewaySubscriber consumer = GatewaySubscriber.connect(options, m -> {
                if (m.streamId() == null) {
                    return;
                }
                delivered.incrementAndGet();
                if (m.waveform() != null) {
                    bytes.addAndGet(47L + 16L * m.waveform().channelCount() + 2L * m.waveform().channelCount() * m.waveform().length());
                    if (m.receivedNanos() > warmupEnd) {
                        latency.recordValue(Math.max(0, m.receivedNanos() - m.waveform().timestampNanos()));
                    }
                }
            }); MqttPublisher publisher = MqttPublisher.start(MqttSettings.of(broker.tcpUri(), "bench")
                    .withOutbox(dir.resolve("outbox")).withQueueCapacity(1 << 16), Clock.systemUTC())) {
                while (!publisher.isConnected()) {
                    Thread.sleep(10);
                }
                List<PatientStream> streams = new ArrayList<>();
                for (int p = 0; p < patients; p++) {
                    streams.add(new PatientStream("p" + p + "-"));
                }
                long produced = 0;
                long start = System.nanoTime();
                long end = start + TimeUnit.SECONDS.toNanos(seconds);
                long next = start;
                while (System.nanoTime() < end) {
                    for (PatientStream s : streams) {
                        PatientStream.Tick t = s.next(publisher, System.nanoTime(), true);
                        produced += t.waveforms() + t.beats() + t.vitals() + t.events();
                    }
                    next += TimeUnit.MILLISECONDS.toNanos(PatientStream.BLOCK_MS);
                    long sleep = next - System.nanoTime();
                    if (sleep > 0) {
                        TimeUnit.NANOSECONDS.sleep(sleep);
                    }
                }
                double elapsed = (System.nanoTime() - start) / 1e9;
                long backlogAtEnd = publisher.pendingCount();
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (delivered.get() < produced - publisher.droppedCount() && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
                System.out.printf("%8d %10d %10d %10.0f %10.2f %9.1f %9.1f %9.1f %10d%s%n", patients, produced,
                        delivered.get(), produced / elapsed, bytes.get() / elapsed / 1e6,
                        latency.getValueAtPercentile(50) / 1e6, latency.getValueAtPercentile(99) / 1e6,
                        latency.getMaxValue() / 1e6, backlogAtEnd,
                        publisher.droppedCount() > 0 ? "  dropped " + publisher.droppedCount() : "");
            }
        }
    }
}
