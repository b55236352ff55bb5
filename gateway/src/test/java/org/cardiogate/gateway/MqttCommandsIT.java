package org.cardiogate.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.cardiogate.gateway.config.GatewayConfig;
import org.cardiogate.inference.RhythmLimits;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Commands over MQTT reach the running gateway: valid ones change it, bad ones are answered and change nothing. */
class MqttCommandsIT {
    private static final String TOKEN = "bedside-console-token-0001";

    @Test
    void setConfigChangesAlarmLimitsAndABadValueOrTokenChangesNothing(@TempDir Path data) throws Exception {
        Path tokens = Files.writeString(data.resolve("tokens"), "# consoles\n" + TOKEN + "\n");
        GatewayConfig config = new GatewayConfig(new GatewayConfig.Gateway("cmd", data),
                new GatewayConfig.Source("simulator", 70, 2), new GatewayConfig.Dsp(50), RhythmLimits.ADULT_DEFAULTS,
                new GatewayConfig.Mqtt(true, 0, null, null, null, false, 16, null, null, null, tokens, null),
                new GatewayConfig.Ui(false, "127.0.0.1", 0));
        try (GatewayRuntime g = GatewayRuntime.start(config)) {
            MqttClient console = new MqttClient(g.brokerUri(), "console-test", new MemoryPersistence());
            List<String> replies = new CopyOnWriteArrayList<>();
            MqttConnectOptions o = new MqttConnectOptions();
            o.setCleanSession(true);
            console.connect(o);
            console.subscribe(g.topicPrefix() + "replies", 1,
                    (t, m) -> replies.add(new String(m.getPayload(), StandardCharsets.UTF_8)));
            await().atMost(Duration.ofSeconds(15)).until(() -> g.publisher().isConnected());

            send(console, g, "c1", TOKEN, "{\"key\":\"alarms.tachyBpm\",\"value\":\"20\"}");
            send(console, g, "c2", "wrong-token-wrong-token", "{\"key\":\"alarms.tachyBpm\",\"value\":\"130\"}");
            await().atMost(Duration.ofSeconds(15)).until(() -> replies.size() >= 2);
            assertThat(replies).anyMatch(r -> r.contains("\"id\":\"c1\"") && r.contains("\"failed\"") && r.contains("alarms.tachyBpm"));
            assertThat(replies).anyMatch(r -> r.contains("\"id\":\"c2\"") && r.contains("\"rejected\""));
            assertThat(g.pipeline().rhythmLimits().tachyBpm()).isEqualTo(150);

            send(console, g, "c3", TOKEN, "{\"key\":\"alarms.tachyBpm\",\"value\":\"130\"}");
            await().atMost(Duration.ofSeconds(15)).until(() -> replies.stream().anyMatch(r -> r.contains("\"id\":\"c3\"")));
            assertThat(replies).anyMatch(r -> r.contains("\"id\":\"c3\"") && r.contains("\"ok\""));
            await().atMost(Duration.ofSeconds(5)).until(() -> g.pipeline().rhythmLimits().tachyBpm() == 130);
            console.disconnect();
            console.close();
        }
    }

    private static void send(MqttClient c, GatewayRuntime g, String id, String token, String args) throws Exception {
        String body = "{\"v\":1,\"id\":\"" + id + "\",\"token\":\"" + token + "\",\"args\":" + args + "}";
        c.publish(g.topicPrefix() + "commands/set_config", body.getBytes(StandardCharsets.UTF_8), 1, false);
    }
}
