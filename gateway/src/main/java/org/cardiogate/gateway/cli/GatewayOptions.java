package org.cardiogate.gateway.cli;

import java.nio.file.Path;

import org.cardiogate.gateway.config.GatewayConfig;

import picocli.CommandLine.Option;

/** Command-line overrides shared by {@code demo} and {@code run}; they win over the configuration file. */
final class GatewayOptions {
    @Option(names = "--gateway-id", paramLabel = "ID", description = "gateway id (an MQTT topic level)")
    String gatewayId;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "where the database and recordings live")
    Path dataDir;

    @Option(names = "--broker", paramLabel = "URI",
            description = "connect to this MQTT broker (tcp://host:port) instead of starting the embedded one")
    String broker;

    @Option(names = "--mqtt-port", paramLabel = "PORT", description = "port of the embedded broker (0: any free port)")
    Integer mqttPort;

    @Option(names = "--ui-port", paramLabel = "PORT", description = "port of the local page (0: any free port)")
    Integer uiPort;

    @Option(names = "--heart-rate", paramLabel = "BPM", description = "simulator heart rate at start")
    Double heartRate;

    GatewayConfig apply(GatewayConfig c) {
        var gw = new GatewayConfig.Gateway(gatewayId != null ? gatewayId : c.gateway().id(),
                dataDir != null ? dataDir : c.gateway().dataDir());
        var src = heartRate == null ? c.source() : new GatewayConfig.Source(c.source().type(), heartRate, c.source().seed(),
                c.source().record());
        GatewayConfig.Mqtt m = c.mqtt();
        if (broker != null) {
            m = new GatewayConfig.Mqtt(false, m.embeddedPort(), broker, m.username(), m.passwordFile(), m.waveforms(),
                    m.outboxBudgetMb(), m.tlsCaFile(), m.tlsClientCertFile(), m.tlsClientKeyFile(), m.commandTokensFile(),
                    m.commandsAllowed());
        } else if (mqttPort != null) {
            m = new GatewayConfig.Mqtt(m.embeddedBroker(), mqttPort, m.serverUri(), m.username(), m.passwordFile(),
                    m.waveforms(), m.outboxBudgetMb(), m.tlsCaFile(), m.tlsClientCertFile(), m.tlsClientKeyFile(),
                    m.commandTokensFile(), m.commandsAllowed());
        }
        GatewayConfig.Ui u = c.ui();
        var ui = uiPort == null ? u : new GatewayConfig.Ui(u.enabled(), u.host(), uiPort, u.tlsCertificateFile(),
                u.tlsKeyFile(), u.metricsTokenFile(), u.sessionIdleMinutes());
        return new GatewayConfig(gw, src, c.dsp(), c.alarms(), m, ui, c.inference(), c.storage(), c.recording(),
                c.sensors());
    }
}
