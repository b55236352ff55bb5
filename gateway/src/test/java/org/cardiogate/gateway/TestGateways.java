package org.cardiogate.gateway;

import java.nio.file.Path;

import org.cardiogate.gateway.config.GatewayConfig;
import org.cardiogate.inference.RhythmLimits;

/** Configurations for gateways started by the integration tests: embedded broker and page on free ports. */
final class TestGateways {
    private TestGateways() {
    }

    /**
     * @param page      serve the local page
     * @param waveforms publish raw waveforms over MQTT
     */
    static GatewayConfig config(Path data, String id, String sourceType, double heartRateBpm, long seed, boolean page,
                                boolean waveforms) {
        return new GatewayConfig(new GatewayConfig.Gateway(id, data),
                new GatewayConfig.Source(sourceType, heartRateBpm, seed), new GatewayConfig.Dsp(50),
                RhythmLimits.ADULT_DEFAULTS, new GatewayConfig.Mqtt(true, 0, null, null, null, waveforms, 64),
                new GatewayConfig.Ui(page, "127.0.0.1", 0));
    }

    /** The simulator, no page, no waveforms. */
    static GatewayConfig simulated(Path data, String id, double heartRateBpm, long seed) {
        return config(data, id, "simulator", heartRateBpm, seed, false, false);
    }
}
