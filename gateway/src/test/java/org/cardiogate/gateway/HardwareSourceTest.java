package org.cardiogate.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;

import org.cardiogate.gateway.config.ConfigLoader;
import org.cardiogate.gateway.config.GatewayConfig;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code source.type: hardware} opens the boards of the {@code sensors} section through Pi4J. On a machine without
 * them (this one, CI) the gateway refuses to start with a message naming the missing device node, and leaves no
 * part of itself running (its port is free again).
 */
class HardwareSourceTest {

    @Test
    void aGatewayWhoseBoardIsNotThereSaysWhichDeviceNodeIsMissing(@TempDir Path dir) throws Exception {
        Assumptions.assumeFalse(Files.exists(Path.of("/dev/spidev0.0")), "this machine has /dev/spidev0.0");
        GatewayConfig config = ConfigLoader.parse(String.join("\n",
                "gateway: {id: bed-hw, dataDir: " + dir.resolve("data") + "}",
                "source: {type: hardware}",
                "mqtt: {embeddedBroker: true, embeddedPort: 0}",
                "ui: {enabled: false}",
                "sensors:",
                "  ads129x: {model: ADS1298, spiBus: 0, chipSelect: 0, drdyGpio: 17}", ""), "hw.yaml");
        assertThatThrownBy(() -> GatewayRuntime.start(config).close())
                .hasMessageContaining("/dev/spidev0.0");
        // nothing was left running: the same data directory opens again at once
        assertThatThrownBy(() -> GatewayRuntime.start(config).close())
                .hasMessageContaining("/dev/spidev0.0");
        assertThat(Files.isDirectory(dir.resolve("data"))).isTrue();
    }
}
