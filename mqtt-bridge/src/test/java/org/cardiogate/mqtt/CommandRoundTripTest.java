package org.cardiogate.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.cardiogate.signal.EventType;
import org.junit.jupiter.api.Test;

/** Commands through a broker: the gateway's handler runs off Paho's thread and the reply carries the id. */
class CommandRoundTripTest {
    static final String TOKEN = "bed-cmd-token-0123456789";
    static final Duration WAIT = Duration.ofSeconds(20);

    @Test
    void aCommandSentByAConsumerIsCarriedOutAndAnsweredWithItsCorrelationId() throws Exception {
        List<Command> handled = new CopyOnWriteArrayList<>();
        List<String> threads = new CopyOnWriteArrayList<>();
        try (EmbeddedBroker broker = EmbeddedBroker.startOnFreePort();
             MqttPublisher publisher = MqttPublisher.start(MqttSettings.of(broker.serverUri(), "bed-cmd"),
                     Clock.systemUTC(), CommandPolicy.allowingAll(Set.of(TOKEN)), c -> {
                         handled.add(c);
                         threads.add(Thread.currentThread().getName());
                         return CommandHandler.Reply.ok("acknowledged");
                     })) {
            List<GatewaySubscriber.Message> replies = new CopyOnWriteArrayList<>();
            try (GatewaySubscriber console = GatewaySubscriber.connect(GatewaySubscriber.Options.of(broker.serverUri(),
                    "console-1").withCleanSession(true).withFilters(List.of(publisher.topics().replies())), replies::add)) {
                await().atMost(WAIT).until(publisher::isConnected);
                String topic = publisher.topics().command("ack_alarm");
                String good = "{\"v\":1,\"id\":\"console-1:17\",\"token\":\"" + TOKEN
                        + "\",\"args\":{\"stream\":\"ecg\",\"type\":\"VT\",\"sample\":1200}}";
                await().atMost(WAIT).until(() -> {
                    console.publish(topic, good.getBytes(StandardCharsets.UTF_8));
                    return !replies.isEmpty();
                });
                GatewaySubscriber.Message reply = replies.getFirst();
                assertThat(reply.json().get("id").asText()).isEqualTo("console-1:17");
                assertThat(reply.json().get("status").asText()).isEqualTo("ok");
                assertThat(reply.json().get("message").asText()).isEqualTo("acknowledged");
                assertThat(handled.getFirst()).isEqualTo(
                        new Command.AcknowledgeAlarm("console-1:17", "ecg", EventType.VT, 1200, null));
                assertThat(threads).allMatch(t -> t.equals("mqtt-commands-bed-cmd"));

                int before = handled.size();
                console.publish(topic, ("{\"v\":1,\"id\":\"console-1:18\",\"token\":\"wrong-token-wrong-token\","
                        + "\"args\":{\"stream\":\"ecg\",\"type\":\"VT\",\"sample\":1200}}").getBytes(StandardCharsets.UTF_8));
                await().atMost(WAIT).until(() -> replies.stream().anyMatch(r -> "console-1:18".equals(r.json().get("id").asText())));
                GatewaySubscriber.Message refused = replies.stream()
                        .filter(r -> "console-1:18".equals(r.json().get("id").asText())).findFirst().orElseThrow();
                assertThat(refused.json().get("status").asText()).isEqualTo("rejected");
                assertThat(refused.json().get("message").asText()).isEqualTo("unauthorised: token not accepted");
                assertThat(handled).hasSize(before);
            }
        }
    }
}
