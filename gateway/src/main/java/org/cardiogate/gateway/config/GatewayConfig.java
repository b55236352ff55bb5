package org.cardiogate.gateway.config;

import java.nio.file.Path;

import org.cardiogate.inference.RhythmLimits;

/**
 * The whole gateway configuration, one typed record per section of the YAML file. Every value is validated when
 * the record is built; messages name the key as it is written in the file (for example {@code mqtt.serverUri}).
 *
 * @param gateway identity and data directory
 * @param source  where samples come from
 * @param dsp     signal processing settings
 * @param alarms  rhythm alarm limits
 * @param mqtt    broker connection
 * @param ui      local web page
 */
public record GatewayConfig(Gateway gateway, Source source, Dsp dsp, RhythmLimits alarms, Mqtt mqtt, Ui ui) {

    /**
     * @param id      gateway id, one MQTT topic level: letters, digits, '_', '-', '.'
     * @param dataDir where the H2 database and recordings live
     */
    public record Gateway(String id, Path dataDir) {
        public Gateway {
            if (id == null || !id.matches("[A-Za-z0-9_.-]{1,64}")) {
                throw new IllegalArgumentException("gateway.id '" + id
                        + "' must be 1-64 letters, digits, '_', '.' or '-' (it is an MQTT topic level)");
            }
            if (dataDir == null) {
                throw new IllegalArgumentException("gateway.dataDir is required");
            }
        }
    }

    /**
     * @param type         {@code simulator} (built-in physiological simulator), {@code emulated-bench} (the production
     *                     ADS1298, MAX30102 and LSM6DSO drivers against their chip emulators, fed by the simulator) or
     *                     {@code replay} (the same bench with the ADS1298 replaying {@code record})
     * @param heartRateBpm simulator heart rate
     * @param seed         simulator random seed
     * @param record       WFDB record path without extension, for {@code replay}
     */
    public record Source(String type, double heartRateBpm, long seed, Path record) {
        public static final java.util.Set<String> TYPES = java.util.Set.of("simulator", "emulated-bench", "replay");

        /** A simulator source. */
        public Source(String type, double heartRateBpm, long seed) {
            this(type, heartRateBpm, seed, null);
        }

        public Source {
            if (!TYPES.contains(type)) {
                throw new IllegalArgumentException("source.type '" + type
                        + "' is not supported; use simulator, emulated-bench or replay");
            }
            if ("replay".equals(type) && record == null) {
                throw new IllegalArgumentException("source.record (a WFDB record path) is required with source.type replay");
            }
            if (Double.isNaN(heartRateBpm) || heartRateBpm < 20 || heartRateBpm > 300) {
                throw new IllegalArgumentException("source.heartRateBpm must be between 20 and 300, got " + heartRateBpm);
            }
        }
    }

    /** @param mainsHz power-line frequency to notch out: 50 or 60 */
    public record Dsp(int mainsHz) {
        public Dsp {
            if (mainsHz != 50 && mainsHz != 60) {
                throw new IllegalArgumentException("dsp.mainsHz must be 50 or 60, got " + mainsHz);
            }
        }
    }

    /**
     * @param embeddedBroker start the embedded broker on {@code embeddedPort} and connect to it
     * @param embeddedPort   port of the embedded broker (0: any free port)
     * @param serverUri      broker to connect to when not embedded, {@code tcp://host:port}
     * @param username       optional user name
     * @param passwordFile   optional file holding the password (secrets never sit in the YAML)
     * @param waveforms      also publish the raw waveforms (binary, about 150 messages/s for the simulator's streams)
     * @param outboxBudgetMb disk budget of the store-and-forward outbox in MiB
     * @param tlsCaFile      PEM CA certificate that must have signed the broker's certificate (ssl:// URIs)
     * @param tlsClientCertFile PEM client certificate for mutual TLS, with {@code tlsClientKeyFile}
     * @param tlsClientKeyFile  PEM PKCS#8 client key for mutual TLS
     * @param commandTokensFile file with one command token per line (at least 16 characters each); no file: no
     *                          commands are accepted
     * @param commandsAllowed comma-separated command names accepted (default all: set_config, start_recording,
     *                        stop_recording, ack_alarm)
     */
    public record Mqtt(boolean embeddedBroker, int embeddedPort, String serverUri, String username, Path passwordFile,
                       boolean waveforms, int outboxBudgetMb, Path tlsCaFile, Path tlsClientCertFile,
                       Path tlsClientKeyFile, Path commandTokensFile, String commandsAllowed) {

        /** Without TLS and without commands. */
        public Mqtt(boolean embeddedBroker, int embeddedPort, String serverUri, String username, Path passwordFile,
                    boolean waveforms, int outboxBudgetMb) {
            this(embeddedBroker, embeddedPort, serverUri, username, passwordFile, waveforms, outboxBudgetMb, null, null,
                    null, null, null);
        }

        public Mqtt {
            if (embeddedPort < 0 || embeddedPort > 65535) {
                throw new IllegalArgumentException("mqtt.embeddedPort must be 0-65535, got " + embeddedPort);
            }
            if (outboxBudgetMb < 1 || outboxBudgetMb > 1_000_000) {
                throw new IllegalArgumentException("mqtt.outboxBudgetMb must be 1-1000000, got " + outboxBudgetMb);
            }
            if ((tlsClientCertFile == null) != (tlsClientKeyFile == null)) {
                throw new IllegalArgumentException("mqtt.tlsClientCertFile and mqtt.tlsClientKeyFile must be given together");
            }
            if (tlsClientCertFile != null && tlsCaFile == null) {
                throw new IllegalArgumentException("mqtt.tlsCaFile is required with a client certificate");
            }
            if (!embeddedBroker && (serverUri == null || !serverUri.matches("(tcp|ssl)://[^/\\s]+:\\d+"))) {
                throw new IllegalArgumentException("mqtt.serverUri '" + serverUri
                        + "' must look like tcp://host:1883 or ssl://host:8883 when mqtt.embeddedBroker is false");
            }
        }
    }

    /**
     * @param enabled serve the local page
     * @param host    address to bind, {@code 127.0.0.1} for local access only
     * @param port    port (0: any free port)
     */
    public record Ui(boolean enabled, String host, int port) {
        public Ui {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("ui.port must be 0-65535, got " + port);
            }
            if (host == null || host.isBlank()) {
                throw new IllegalArgumentException("ui.host is required");
            }
        }
    }

    /** The configuration of {@code bin/gateway demo}: simulator, embedded broker, page on port 8080. */
    public static GatewayConfig demo(Path dataDir) {
        return new GatewayConfig(new Gateway("demo", dataDir), new Source("simulator", 72, 1), new Dsp(50),
                RhythmLimits.ADULT_DEFAULTS, new Mqtt(true, 1883, null, null, null, true, 256), new Ui(true, "127.0.0.1", 8080));
    }
}
