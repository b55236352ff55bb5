package org.cardiogate.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;

import org.cardiogate.gateway.config.ConfigException;
import org.cardiogate.gateway.config.ConfigLoader;
import org.cardiogate.gateway.config.GatewayConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConfigLoaderTest {

    @Test
    void theExampleConfigurationFileIsValid() throws Exception {
        Path example = ArchitectureTest.root().resolve("config/gateway.example.yaml");
        GatewayConfig c = ConfigLoader.load(example);
        assertThat(c.gateway().id()).isEqualTo("bed-12");
        assertThat(c.mqtt().embeddedBroker()).isFalse();
        assertThat(c.mqtt().serverUri()).isEqualTo("tcp://127.0.0.1:1883");
        assertThat(c.alarms().tachyBpm()).isEqualTo(150);
        assertThat(c.inference().providerList()).containsExactly("cpu");
        assertThat(c.storage().maxMb()).isEqualTo(1024);
        assertThat(c.recording().retainDays()).isEqualTo(30);
    }

    @Test
    void theSensorsSectionDescribesTheRealBoardsAndTheirWiring() throws Exception {
        GatewayConfig c = ConfigLoader.parse(String.join("\n",
                "source:", "  type: hardware",
                "sensors:", "  gpioChip: gpiochip4",
                "  ads129x: {model: ads1298, spiBus: 0, chipSelect: 1, drdyGpio: 17, rateSps: 1000,"
                        + " leadNames: [I, II, V1, V2, V3, V4, V5, V6]}",
                "  max30102: {i2cBus: 1, address: 0x57, ledCurrentMa: 12.5}",
                "  lsm6dso: {i2cBus: 1, address: 107, odrHz: 1667, axis: x, inverted: true}",
                "  serialBoard: {port: /dev/ttyUSB0, protocol: Cyton, streamId: cyton}", ""), "hw.yaml");
        org.cardiogate.sensor.board.BoardWiring w = c.sensors();
        assertThat(c.source().type()).isEqualTo("hardware");
        assertThat(w.gpioChip()).isEqualTo("gpiochip4");
        assertThat(w.ads129x().model()).isEqualTo(org.cardiogate.sensor.ads129x.Ads129xModel.ADS1298);
        assertThat(w.ads129x().chipSelect()).isEqualTo(1);
        assertThat(w.ads129x().drdyGpio()).isEqualTo(17);
        assertThat(w.ads129x().rateSps()).isEqualTo(1000);
        assertThat(w.ads129x().leadNames()).containsExactly("I", "II", "V1", "V2", "V3", "V4", "V5", "V6");
        assertThat(w.max30102().address()).isEqualTo(0x57);
        assertThat(w.max30102().ledCurrentMa()).isEqualTo(12.5);
        assertThat(w.lsm6dso().address()).isEqualTo(0x6B);
        assertThat(w.lsm6dso().axis()).isEqualTo(org.cardiogate.sensor.lsm6dso.Lsm6dsoConfig.Axis.X);
        assertThat(w.lsm6dso().inverted()).isTrue();
        assertThat(w.serialBoard().protocol()).isEqualTo(org.cardiogate.sensor.board.BoardWiring.SerialProtocol.CYTON);
        assertThat(w.max86150()).isNull();
        assertThat(ConfigLoader.parse("gateway:\n  id: x\n", "t.yaml").sensors()).isNull();
    }

    @Test
    void missingKeysTakeTheDefaults() throws Exception {
        GatewayConfig c = ConfigLoader.parse("gateway:\n  id: bed-3\n", "t.yaml");
        assertThat(c.gateway().id()).isEqualTo("bed-3");
        assertThat(c.dsp().mainsHz()).isEqualTo(50);
        assertThat(c.alarms().bradyBpm()).isEqualTo(40);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "gateway:\\n  id: 'bed/1'                    | gateway.id",
            "gateway:\\n  idd: x                         | gateway.idd",
            "gatway:\\n  id: x                           | unknown section 'gatway'",
            "source:\\n  type: ads1298                   | source.type",
            "source:\\n  heartRateBpm: 500               | source.heartRateBpm",
            "source:\\n  type: replay                    | source.record",
            "inference:\\n  providers: gpu                | inference.providers: unknown provider 'gpu'",
            "storage:\\n  maxMb: 2                        | storage.maxMb",
            "recording:\\n  maxFileMinutes: 0              | recording.maxFileMinutes",
            "recording:\\n  continous: true                | unknown key 'recording.continous'",
            "mqtt:\\n  tlsClientCertFile: c.pem          | mqtt.tlsClientKeyFile",
            "source:\\n  heartRateBpm: fast              | source.heartRateBpm must be a number",
            "dsp:\\n  mainsHz: 55                        | dsp.mainsHz",
            "dsp:\\n  mainsHz: 50.5                      | dsp.mainsHz must be a whole number",
            "alarms:\\n  bradyBpm: 160                   | alarms.bradyBpm",
            "alarms:\\n  pauseSeconds: 0                 | alarms.pauseSeconds",
            "mqtt:\\n  embeddedBroker: false             | mqtt.serverUri",
            "mqtt:\\n  embeddedBroker: 'yes'             | mqtt.embeddedBroker must be true or false",
            "mqtt:\\n  embeddedBroker: false\\n  serverUri: http://x:1 | mqtt.serverUri",
            "ui:\\n  port: 70000                         | ui.port",
            "ui:\\n  sessionIdleMinutes: 0              | ui.sessionIdleMinutes",
            "ui:\\n  tlsKeyFile: k.pem                  | ui.tlsCertificateFile and ui.tlsKeyFile",
            "ui: [1, 2]                                  | 'ui' must be a mapping",
            "source:\\n  type: hardware                  | source.type hardware needs a sensors section",
            "sensors: {}                                 | sensors: no device is fitted",
            "sensors:\\n  ads129x: {model: ADS1299, spiBus: 0, chipSelect: 0, drdyGpio: 17} | sensors.ads129x.model must be ADS1292R or ADS1298",
            "sensors:\\n  ads129x: {model: ADS1298, chipSelect: 0, drdyGpio: 17} | sensors.ads129x.spiBus is required",
            "sensors:\\n  ads129x: {model: ADS1298, spiBus: 9, chipSelect: 0, drdyGpio: 17} | sensors.ads129x.spiBus must be 0..6",
            "sensors:\\n  max30102: {i2cBus: 1, adress: 0x57} | unknown key 'sensors.max30102.adress'",
            "sensors:\\n  max30102: {i2cBus: 1, address: 0xZZ} | sensors.max30102.address must be a whole number",
            "sensors:\\n  lsm6dso: {i2cBus: 1, axis: w}    | sensors.lsm6dso.axis must be x, y or z",
            "sensors:\\n  serialBoard: {port: /dev/ttyUSB0, protocol: modbus} | sensors.serialBoard.protocol must be cyton or framed",
            "sensors:\\n  ads129x: [1]                    | 'sensors.ads129x' must be a mapping",
            "sensors:\\n  bme280: {i2cBus: 1}             | unknown key 'sensors.bme280'",
            "gateway: {id: [a, b]}                       | gateway.id must be a single value",
            "gateway:\\n  id: x\\n   bad indent: :      | not valid YAML",
    })
    void invalidConfigurationsAreRejectedNamingTheKey(String yaml, String expected) {
        assertThatThrownBy(() -> ConfigLoader.parse(yaml.replace("\\n", "\n"), "gw.yaml"))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("gw.yaml: ")
                .hasMessageContaining(expected);
    }

    @Test
    void anUnreadableFileIsNamed(@TempDir Path dir) {
        Path missing = dir.resolve("nope.yaml");
        assertThatThrownBy(() -> ConfigLoader.load(missing)).hasMessageContaining(missing.toString());
    }

    @Test
    void anEmptyFileMeansAllDefaults(@TempDir Path dir) throws Exception {
        Path f = Files.writeString(dir.resolve("empty.yaml"), "");
        assertThat(ConfigLoader.load(f).gateway().id()).isEqualTo("demo");
    }
}
