package org.cardiogate.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedBrokerTest {

    @Test
    void startsOnAFreePortAndRelaysMessagesBetweenAnonymousClients() throws Exception {
        try (EmbeddedBroker broker = EmbeddedBroker.startOnFreePort()) {
            assertThat(broker.port()).isPositive();
            assertThat(broker.serverUri()).isEqualTo("tcp://127.0.0.1:" + broker.port());
            try (TestSubscriber sub = new TestSubscriber(broker.serverUri(), "sub", "t/#")) {
                MqttClient pub = new MqttClient(broker.serverUri(), "pub", new MemoryPersistence());
                pub.connect();
                pub.publish("t/a", "hello".getBytes(StandardCharsets.UTF_8), 1, false);
                pub.disconnect();
                pub.close();
                await().atMost(Duration.ofSeconds(10)).until(() -> sub.on("t/a").size() == 1);
                assertThat(sub.on("t/a").getFirst().payload()).isEqualTo("hello");
            }
        }
    }

    @Test
    void twoBrokersOnPortZeroGetDifferentPorts() {
        try (EmbeddedBroker a = EmbeddedBroker.startOnFreePort(); EmbeddedBroker b = EmbeddedBroker.startOnFreePort()) {
            assertThat(a.port()).isNotEqualTo(b.port());
        }
    }

    @Test
    void keepsRetainedMessagesInItsDataDirectoryAcrossRestarts(@TempDir Path dir) throws Exception {
        Path data = dir.resolve("broker");
        try (EmbeddedBroker broker = EmbeddedBroker.start("localhost", 0, data)) {
            MqttClient pub = new MqttClient(broker.serverUri(), "pub", new MemoryPersistence());
            pub.connect();
            pub.publish("t/retained", "kept".getBytes(StandardCharsets.UTF_8), 1, true);
            pub.disconnect();
            pub.close();
        }
        assertThat(data).isDirectoryContaining(p -> p.getFileName().toString().startsWith("moquette_store"));
        try (EmbeddedBroker broker = EmbeddedBroker.start("localhost", 0, data);
             TestSubscriber sub = new TestSubscriber(broker.serverUri(), "sub", "t/#")) {
            await().atMost(Duration.ofSeconds(10)).until(() -> sub.on("t/retained").size() == 1);
            assertThat(sub.on("t/retained").getFirst().payload()).isEqualTo("kept");
            // Moquette 0.17 delivers stored retained messages with the RETAIN flag cleared, so only arrival is checked
        }
    }

    @Test
    void forgetsRetainedMessagesWithoutADataDirectory() throws Exception {
        int port;
        try (EmbeddedBroker broker = EmbeddedBroker.startOnFreePort()) {
            port = broker.port();
            MqttClient pub = new MqttClient(broker.serverUri(), "pub", new MemoryPersistence());
            pub.connect();
            pub.publish("t/retained", "gone".getBytes(StandardCharsets.UTF_8), 1, true);
            pub.disconnect();
            pub.close();
        }
        try (EmbeddedBroker broker = EmbeddedBroker.start("127.0.0.1", port, null);
             TestSubscriber sub = new TestSubscriber(broker.serverUri(), "sub", "t/#")) {
            MqttClient probe = new MqttClient(broker.serverUri(), "probe", new MemoryPersistence());
            probe.connect();
            probe.publish("t/probe", "after".getBytes(StandardCharsets.UTF_8), 1, false);
            probe.disconnect();
            probe.close();
            await().atMost(Duration.ofSeconds(10)).until(() -> sub.on("t/probe").size() == 1);
            assertThat(sub.on("t/retained")).isEmpty();
        }
    }

    @Test
    void refusesToListenBeyondLoopbackBecauseItAllowsAnonymousClients() {
        assertThatThrownBy(() -> EmbeddedBroker.start("0.0.0.0", 0, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'0.0.0.0'").hasMessageContaining("loopback");
    }

    @Test
    void rejectsAPortOutOfRange() {
        assertThatThrownBy(() -> EmbeddedBroker.start("127.0.0.1", 70000, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("70000");
    }

    @Test
    void failsClearlyWhenThePortIsTaken() {
        try (EmbeddedBroker first = EmbeddedBroker.startOnFreePort()) {
            assertThatThrownBy(() -> EmbeddedBroker.start("127.0.0.1", first.port(), null))
                    .hasMessageContaining("127.0.0.1:" + first.port());
        }
    }

    @Test
    void createsAMissingDataDirectory(@TempDir Path dir) {
        Path data = dir.resolve("a/b/c");
        try (EmbeddedBroker broker = EmbeddedBroker.start("127.0.0.1", 0, data)) {
            assertThat(Files.isDirectory(data)).isTrue();
        }
    }
}
