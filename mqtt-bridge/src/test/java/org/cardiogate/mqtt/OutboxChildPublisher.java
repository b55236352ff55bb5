package org.cardiogate.mqtt;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

/**
 * A gateway's MQTT side in a process of its own, for {@link GatewayCrashIT}: streams one patient into a publisher with
 * a durable outbox and prints {@code journaled <n>} every 20 ms (items then in the journal file survive a SIGKILL).
 *
 * <p>Arguments: serverUri outboxDir gatewayId startTick seconds (0 = until killed). With a duration it waits until
 * the outbox is empty, closes and prints {@code done <journaled>}.
 */
public final class OutboxChildPublisher {
    private OutboxChildPublisher() {
    }

    public static void main(String[] args) throws Exception {
        String uri = args[0];
        Path outbox = Path.of(args[1]);
        String gateway = args[2];
        long startTick = Long.parseLong(args[3]);
        int seconds = Integer.parseInt(args[4]);
        MqttSettings settings = MqttSettings.of(uri, gateway).withOutbox(outbox).withBackfillRate(2000)
                .withMaxReconnectDelay(Duration.ofSeconds(1));
        MqttPublisher publisher = MqttPublisher.start(settings, Clock.systemUTC());
        PatientStream patient = new PatientStream("p-", startTick);
        long end = seconds == 0 ? Long.MAX_VALUE : System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
        int tick = 0;
        while (System.nanoTime() < end) {
            patient.next(publisher, System.nanoTime(), true);
            Thread.sleep(10);
            if (++tick % 2 == 0) {
                System.out.println("journaled " + publisher.journaledCount());
                System.out.flush();
            }
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (publisher.pendingCount() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        publisher.close();
        System.out.println("done " + publisher.journaledCount() + " pending " + publisher.pendingCount());
        System.out.flush();
    }
}
