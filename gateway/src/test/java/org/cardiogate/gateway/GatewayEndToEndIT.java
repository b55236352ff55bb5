package org.cardiogate.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.cardiogate.gateway.config.GatewayConfig;
import org.cardiogate.mqtt.MqttPublisher;
import org.cardiogate.ui.HeartRate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The first end-to-end path, for real: simulator -> DSP -> rhythm rules -> embedded MQTT broker (read by Debian's
 * mosquitto_sub), H2, and the local page (read over HTTP), with the heart rate following a simulator change.
 */
class GatewayEndToEndIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();

    /** The heart rate the page shows: the page's own state (its HTTP API needs a login, tested in local-ui). */
    private static double pageHeartRate(GatewayRuntime g) {
        HeartRate hr = g.live().snapshot().heartRates().get("ecg");
        return hr == null ? Double.NaN : hr.bpm();
    }

    @Test
    void heartRateAndBeatsFlowFromTheSimulatorToMqttStorageAndThePage(@TempDir Path data) throws Exception {
        Path mosquittoSub = SharedData.tool("/usr/bin/mosquitto_sub");
        GatewayConfig config = TestGateways.config(data, "e2e", "simulator", 60, 7, true, true);
        try (GatewayRuntime g = GatewayRuntime.start(config)) {
            String port = g.brokerUri().replaceFirst(".*:", "");
            Path subOut = data.resolve("sub.txt");
            Process sub = new ProcessBuilder(mosquittoSub.toString(), "-h", "127.0.0.1", "-p", port,
                    "-t", g.topicPrefix() + "status", "-t", g.topicPrefix() + "streams/ecg/beats",
                    "-t", g.topicPrefix() + "streams/ecg/vitals", "-v", "-C", "12", "-W", "60")
                    .redirectErrorStream(true).redirectOutput(subOut.toFile()).start();
            try {
                HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create(g.uiAddress() + "health")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(health.statusCode()).isEqualTo(200);
                HttpResponse<String> refused = http.send(HttpRequest.newBuilder(URI.create(g.uiAddress() + "api/state")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(refused.statusCode()).as("the page's data needs a login").isEqualTo(401);
                await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
                        .until(() -> Math.abs(pageHeartRate(g) - 60) <= 5);

                g.simulator().setHeartRate(110);
                await().atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(500))
                        .until(() -> Math.abs(pageHeartRate(g) - 110) <= 6);

                assertThat(sub.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).as("mosquitto_sub received 12 messages").isTrue();
                List<String> lines = Files.readAllLines(subOut);
                assertThat(lines).anyMatch(l -> l.startsWith(g.topicPrefix() + "status ") && l.contains("\"online\""));
                assertThat(lines).anyMatch(l -> l.startsWith(g.topicPrefix() + "streams/ecg/beats "));
                JsonNode vital = lines.stream().filter(l -> l.startsWith(g.topicPrefix() + "streams/ecg/vitals "))
                        .map(l -> l.substring(l.indexOf(' ') + 1)).map(GatewayEndToEndIT::parse).findFirst().orElseThrow();
                assertThat(vital.path("name").asText()).isEqualTo("heart_rate");
                assertThat(vital.path("gatewayId").asText()).isEqualTo("e2e");
                assertThat(vital.path("value").asDouble()).isBetween(40.0, 130.0);
                assertThat(vital.path("seq").isIntegralNumber()).isTrue();

                await().atMost(Duration.ofSeconds(10)).until(() -> g.store().count("beats") > 10 && g.store().count("vitals") > 10);
                await().atMost(Duration.ofSeconds(10)).until(() -> g.publisher().publishedCount(MqttPublisher.Kind.WAVEFORM) > 100);
                assertThat(g.pipeline().droppedBeats()).isZero();
            } finally {
                sub.destroyForcibly();
            }
        }
    }

    private static JsonNode parse(String s) {
        try {
            return JSON.readTree(s);
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + s, e);
        }
    }
}
