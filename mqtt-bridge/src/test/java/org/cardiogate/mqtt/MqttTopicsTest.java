package org.cardiogate.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MqttTopicsTest {

    @Test
    void buildsTheVersionedTopicTreeOfAGateway() {
        MqttTopics topics = new MqttTopics("ward3-bed12");
        assertThat(topics.prefix()).isEqualTo("cardiogate/v1/ward3-bed12/");
        assertThat(topics.allFilter()).isEqualTo("cardiogate/v1/ward3-bed12/#");
        assertThat(topics.status()).isEqualTo("cardiogate/v1/ward3-bed12/status");
        assertThat(topics.vitals("ecg")).isEqualTo("cardiogate/v1/ward3-bed12/streams/ecg/vitals");
        assertThat(topics.beats("ppg.finger")).isEqualTo("cardiogate/v1/ward3-bed12/streams/ppg.finger/beats");
        assertThat(topics.events("ecg")).isEqualTo("cardiogate/v1/ward3-bed12/streams/ecg/events");
    }

    @ParameterizedTest
    @ValueSource(strings = {"bed/12", "bed+12", "bed#12", "#", "+"})
    void rejectsAGatewayIdWithASeparatorOrWildcard(String gatewayId) {
        assertThatThrownBy(() -> new MqttTopics(gatewayId))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("gatewayId '" + gatewayId + "'")
                .hasMessageContaining("cannot contain '/', '+' or '#'");
    }

    @Test
    void rejectsAnEmptyOrMissingGatewayId() {
        assertThatThrownBy(() -> new MqttTopics("")).hasMessageContaining("gatewayId must not be empty");
        assertThatThrownBy(() -> new MqttTopics(null)).hasMessageContaining("gatewayId must not be empty");
    }

    @Test
    void rejectsAGatewayIdStartingWithDollarOrHoldingAControlCharacter() {
        assertThatThrownBy(() -> new MqttTopics("$SYS")).hasMessageContaining("must not start with '$'");
        assertThatThrownBy(() -> new MqttTopics("bed\u000012")).hasMessageContaining("control character at index 3");
    }

    @Test
    void rejectsAStreamIdThatIsNotOneLevel() {
        MqttTopics topics = new MqttTopics("bed-1");
        assertThatThrownBy(() -> topics.beats("ecg/II")).hasMessageContaining("streamId 'ecg/II'");
    }
}
