package org.cardiogate.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class MqttSettingsTest {

    @Test
    void derivesAStableClientIdFromTheGatewayId() {
        MqttSettings settings = MqttSettings.of("tcp://127.0.0.1:1883", "bed-12");
        assertThat(settings.clientId()).isEqualTo("cardiogate-bed-12");
        assertThat(settings.queueCapacity()).isEqualTo(MqttSettings.DEFAULT_QUEUE_CAPACITY);
    }

    @Test
    void neverShowsThePassword() {
        MqttSettings settings = MqttSettings.of("tcp://127.0.0.1:1883", "bed-12").withCredentials("gw", "s3cret-pw");
        assertThat(settings.toString()).doesNotContain("s3cret-pw").contains("password=***").contains("username=gw");
    }

    @Test
    void rejectsAPasswordWithoutAUsername() {
        assertThatThrownBy(() -> MqttSettings.of("tcp://127.0.0.1:1883", "bed-12").withCredentials(null, "pw"))
                .hasMessageContaining("without a username");
    }

    @Test
    void rejectsServerUrisItCannotUse() {
        assertThatThrownBy(() -> MqttSettings.of("http://127.0.0.1:1883", "b")).hasMessageContaining("tcp:// or ssl://");
        assertThatThrownBy(() -> MqttSettings.of("tcp://127.0.0.1", "b")).hasMessageContaining("a host and a port");
        assertThatThrownBy(() -> MqttSettings.of("tcp://user:pw@127.0.0.1:1883", "b"))
                .hasMessageContaining("must not carry credentials").hasMessageNotContaining("pw@");
    }

    @Test
    void rejectsAQueueCapacityOutOfRange() {
        assertThatThrownBy(() -> MqttSettings.of("tcp://127.0.0.1:1883", "b").withQueueCapacity(0))
                .hasMessageContaining("queueCapacity must be 1..");
    }

    @Test
    void rejectsAnInvalidGatewayId() {
        assertThatThrownBy(() -> MqttSettings.of("tcp://127.0.0.1:1883", "a/b")).hasMessageContaining("gatewayId 'a/b'");
    }
}
