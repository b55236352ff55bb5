package org.cardiogate.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webclient.api.ClientResponseTyped;
import io.helidon.webclient.api.WebClient;

import org.cardiogate.signal.AamiClass;
import org.cardiogate.signal.Beat;
import org.cardiogate.signal.CardiacEvent;
import org.cardiogate.signal.EventType;
import org.cardiogate.signal.Vital;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The real server on a free loopback port, spoken to over HTTP. */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class UiServerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(20);

    private static LiveState state;
    private static UiServer server;
    private static WebClient client;
    private static HttpClient http;

    @BeforeAll
    static void startServer() {
        state = LiveState.start();
        server = UiServer.start("127.0.0.1", 0, state);
        client = WebClient.builder().baseUri("http://127.0.0.1:" + server.port()).build();
        http = HttpClient.newHttpClient();
    }

    @AfterAll
    static void stopServer() {
        server.close();
        state.close();
        http.close();
    }

    private static URI uri(UiServer s, String path) {
        return URI.create("http://127.0.0.1:" + s.port() + path);
    }

    private static Vital heartRate(String stream, double bpm, long sample) {
        return new Vital(stream, Vital.HEART_RATE, bpm, "bpm", sample, sample * 2_777_778L, "ecg");
    }

    private static JsonNode apiState() throws Exception {
        ClientResponseTyped<String> response = client.get("/api/state").request(String.class);
        assertThat(response.status()).isEqualTo(Status.OK_200);
        return JSON.readTree(response.entity());
    }

    @Test
    void bindsAFreePortWhenAskedForPortZero() {
        assertThat(server.port()).isBetween(1, 65535);
    }

    @Test
    void reportsHealthAsUp() throws Exception {
        ClientResponseTyped<String> response = client.get("/health").request(String.class);
        assertThat(response.status()).isEqualTo(Status.OK_200);
        assertThat(response.headers().contentType().orElseThrow().text()).startsWith("application/json");
        assertThat(JSON.readTree(response.entity()).get("status").asText()).isEqualTo("UP");
    }

    @Test
    void stateReflectsHeartRatesFedIntoThePipelineOutput() {
        state.onVital(heartRate("state-ecg", 72, 3600));
        await().atMost(WAIT).untilAsserted(() -> {
            JsonNode hr = apiState().path("heartRates").path("state-ecg");
            assertThat(hr.path("bpm").asDouble()).isEqualTo(72.0);
            assertThat(hr.path("source").asText()).isEqualTo("ecg");
            assertThat(hr.path("sample").asLong()).isEqualTo(3600);
        });
    }

    @Test
    void stateListsRecentBeatsEventsAndStatus() {
        state.setStatus("gatewayId", "bed-7");
        state.onBeat(new Beat("state-beats", 1234, 99, AamiClass.V, 0.61, 98.4));
        state.onEvent(new CardiacEvent("state-beats", EventType.BRADY, 100, 900, 100, "HR 38 bpm < 40 bpm"));
        await().atMost(WAIT).untilAsserted(() -> {
            JsonNode root = apiState();
            assertThat(root.path("status").path("gatewayId").asText()).isEqualTo("bed-7");
            assertThat(root.path("beats").findValuesAsText("beatClass")).contains("V");
            assertThat(root.path("events").findValuesAsText("detail")).contains("HR 38 bpm < 40 bpm");
            assertThat(root.path("counters").has("updatesDropped")).isTrue();
        });
    }

    @Test
    void liveStreamDeliversAnHrEventAfterOnVital() {
        try (SseLines live = SseLines.open(http, uri(server, "/api/live"))) {
            await().atMost(WAIT).until(() -> live.lines().contains("event:status"));
            assertThat(live.responseInfo().headers().firstValue("content-type")).hasValueSatisfying(
                    ct -> assertThat(ct).startsWith("text/event-stream"));

            state.onVital(heartRate("live-ecg", 83, 7200));

            await().atMost(WAIT).untilAsserted(() -> assertThat(live.data("hr")).anySatisfy(data -> {
                JsonNode hr = JSON.readTree(data);
                assertThat(hr.path("stream").asText()).isEqualTo("live-ecg");
                assertThat(hr.path("bpm").asDouble()).isEqualTo(83.0);
            }));
        }
    }

    @Test
    void servesThePageAndItsAssetsWithTheirContentTypes() {
        ClientResponseTyped<String> page = client.get("/").request(String.class);
        assertThat(page.status()).isEqualTo(Status.OK_200);
        assertThat(page.headers().contentType().orElseThrow().text()).startsWith("text/html");
        assertThat(page.entity()).contains("id=\"hr\"").contains("app.js").contains("style.css");
        assertThat(page.entity()).doesNotContain("https://").doesNotContain("http://");

        ClientResponseTyped<String> script = client.get("/app.js").request(String.class);
        assertThat(script.status()).isEqualTo(Status.OK_200);
        assertThat(script.headers().contentType().orElseThrow().text()).contains("javascript");
        assertThat(script.entity()).contains("EventSource");

        ClientResponseTyped<String> style = client.get("/style.css").request(String.class);
        assertThat(style.status()).isEqualTo(Status.OK_200);
        assertThat(style.headers().contentType().orElseThrow().text()).startsWith("text/css");
    }

    @Test
    void answersAnUnknownPathWith404() {
        assertThat(client.get("/no-such-page").request(String.class).status()).isEqualTo(Status.NOT_FOUND_404);
        assertThat(client.get("/api/nothing").request(String.class).status()).isEqualTo(Status.NOT_FOUND_404);
    }

    @Test
    void aClientThatNeverReadsLosesMessagesButNeverHoldsUpThePipeline() throws Exception {
        try (LiveState own = LiveState.start(); UiServer stalledServer = UiServer.start("127.0.0.1", 0, own)) {
            try (Socket stalled = new Socket()) {
                stalled.setReceiveBufferSize(4096);
                stalled.connect(new InetSocketAddress("127.0.0.1", stalledServer.port()));
                OutputStream out = stalled.getOutputStream();
                out.write(("GET /api/live HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                out.flush();
                await().atMost(WAIT).until(() -> own.snapshot().clients() == 1);

                long[] sample = {0};
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20)).until(() -> {
                    for (int i = 0; i < 2000; i++) {
                        own.onVital(heartRate("stalled", 60 + i % 50, sample[0]++));
                    }
                    return own.snapshot().clientDrops() > 0;
                });
            }
            // the reset connection makes the next write fail, which ends that client's feed
            await().atMost(Duration.ofSeconds(30)).until(() -> own.snapshot().clients() == 0);
        }
    }

    @Test
    void refusesLiveClientsBeyondTheLimitWith503() {
        try (LiveState small = LiveState.start(new LiveLimits(64, 16, 5, 5, 16, 1));
             UiServer limited = UiServer.start("127.0.0.1", 0, small);
             SseLines first = SseLines.open(http, uri(limited, "/api/live"))) {
            await().atMost(WAIT).until(() -> first.lines().contains("event:status"));

            ClientResponseTyped<String> second = WebClient.builder()
                    .baseUri("http://127.0.0.1:" + limited.port()).build()
                    .get("/api/live").header(HeaderNames.ACCEPT, "text/event-stream").request(String.class);
            assertThat(second.status()).isEqualTo(Status.SERVICE_UNAVAILABLE_503);
        }
    }

    @Test
    void closingTheServerEndsOpenLiveStreams() {
        LiveState own = LiveState.start();
        UiServer closing = UiServer.start("127.0.0.1", 0, own);
        try (SseLines live = SseLines.open(http, uri(closing, "/api/live"))) {
            await().atMost(WAIT).until(() -> live.lines().contains("event:status"));
            closing.close();
            await().atMost(WAIT).until(live::ended);
            assertThat(own.snapshot().clients()).isZero();
        } finally {
            own.close();
        }
    }
}
