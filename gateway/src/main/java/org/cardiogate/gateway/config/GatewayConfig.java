package org.cardiogate.gateway.config;

import java.nio.file.Path;

import org.cardiogate.inference.RhythmLimits;
import org.cardiogate.sensor.board.BoardWiring;

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
 * @param sensors the real boards and how they are wired (section {@code sensors}), used with
 *                {@code source.type: hardware}; null when no board is configured
 */
public record GatewayConfig(Gateway gateway, Source source, Dsp dsp, RhythmLimits alarms, Mqtt mqtt, Ui ui,
                            Inference inference, Storage storage, Recording recording, BoardWiring sensors) {

    public GatewayConfig {
        if ("hardware".equals(source.type()) && sensors == null) {
            throw new IllegalArgumentException("source.type hardware needs a sensors section saying which boards are"
                    + " fitted and how they are wired (see config/gateway.example.yaml)");
        }
    }

    /** Without real boards. */
    public GatewayConfig(Gateway gateway, Source source, Dsp dsp, RhythmLimits alarms, Mqtt mqtt, Ui ui,
                         Inference inference, Storage storage, Recording recording) {
        this(gateway, source, dsp, alarms, mqtt, ui, inference, storage, recording, null);
    }

    /** With the default inference, storage and recording sections. */
    public GatewayConfig(Gateway gateway, Source source, Dsp dsp, RhythmLimits alarms, Mqtt mqtt, Ui ui) {
        this(gateway, source, dsp, alarms, mqtt, ui, Inference.DEFAULTS, Storage.DEFAULTS, Recording.DEFAULTS);
    }

    /**
     * @param enabled      load the neural beat classifier (off: rule-based detection only, beats labelled N)
     * @param providers    execution providers to try in order, comma-separated: tensorrt, cuda, cpu
     * @param tensorrtFp16 let TensorRT use FP16
     * @param engineCache  TensorRT engine cache directory, or null
     * @param modelManifest a model manifest file to load instead of the shipped model, or null
     */
    public record Inference(boolean enabled, String providers, boolean tensorrtFp16, Path engineCache, Path modelManifest) {
        public static final Inference DEFAULTS = new Inference(true, "cpu", true, null, null);

        public Inference {
            if (providers == null || providers.isBlank()) {
                throw new IllegalArgumentException("inference.providers must list at least one of tensorrt, cuda, cpu");
            }
            for (String p : providers.split("\\s*,\\s*")) {
                if (!java.util.List.of("tensorrt", "cuda", "cpu").contains(p)) {
                    throw new IllegalArgumentException("inference.providers: unknown provider '" + p
                            + "' (known: tensorrt, cuda, cpu)");
                }
            }
        }

        public java.util.List<String> providerList() {
            return java.util.List.of(providers.split("\\s*,\\s*"));
        }
    }

    /**
     * @param rawDays    keep beats and raw vitals this many days
     * @param trendDays  keep vital trends this many days
     * @param recordDays keep events, alarms, audit and configuration history this many days
     * @param maxMb      size budget of the database in MiB (oldest beats go first; events and alarms are kept)
     */
    public record Storage(int rawDays, int trendDays, int recordDays, int maxMb) {
        public static final Storage DEFAULTS = new Storage(7, 90, 365, 1024);

        public Storage {
            range("storage.rawDays", rawDays, 1, 3650);
            range("storage.trendDays", trendDays, 1, 3650);
            range("storage.recordDays", recordDays, 1, 36500);
            range("storage.maxMb", maxMb, 16, 1_000_000);
        }
    }

    /**
     * @param continuous     record all the time (besides recordings started on demand)
     * @param maxFileMinutes a new file after this many minutes
     * @param maxFileMb      a new file after this many MiB
     * @param retainFiles    keep at most this many files
     * @param retainDays     delete files older than this
     */
    public record Recording(boolean continuous, int maxFileMinutes, int maxFileMb, int retainFiles, int retainDays) {
        public static final Recording DEFAULTS = new Recording(false, 60, 256, 200, 30);

        public Recording {
            range("recording.maxFileMinutes", maxFileMinutes, 1, 1440);
            range("recording.maxFileMb", maxFileMb, 1, 4096);
            range("recording.retainFiles", retainFiles, 1, 100_000);
            range("recording.retainDays", retainDays, 1, 36500);
        }
    }

    private static void range(String key, long v, long min, long max) {
        if (v < min || v > max) {
            throw new IllegalArgumentException(key + " must be between " + min + " and " + max + ", got " + v);
        }
    }

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
     *                     ADS1298, MAX30102 and LSM6DSO drivers against their chip emulators, fed by the simulator),
     *                     {@code replay} (the same bench with the ADS1298 replaying {@code record}) or
     *                     {@code hardware} (the real boards of the {@code sensors} section, over SPI, I2C, GPIO and
     *                     serial ports)
     * @param heartRateBpm simulator heart rate
     * @param seed         simulator random seed
     * @param record       WFDB record path without extension, for {@code replay}
     */
    public record Source(String type, double heartRateBpm, long seed, Path record) {
        public static final java.util.Set<String> TYPES = java.util.Set.of("simulator", "emulated-bench", "replay",
                "hardware");

        /** A simulator source. */
        public Source(String type, double heartRateBpm, long seed) {
            this(type, heartRateBpm, seed, null);
        }

        public Source {
            if (!TYPES.contains(type)) {
                throw new IllegalArgumentException("source.type '" + type
                        + "' is not supported; use simulator, emulated-bench, replay or hardware");
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
     * @param enabled            serve the local page
     * @param host               address to bind, {@code 127.0.0.1} for local access only
     * @param port               port (0: any free port)
     * @param tlsCertificateFile PEM certificate chain: the page is served over HTTPS (with {@code tlsKeyFile})
     * @param tlsKeyFile         PEM PKCS#8 private key of that certificate
     * @param metricsTokenFile   file holding a bearer token that lets a Prometheus scraper read {@code /metrics}
     *                           without logging in; none: {@code /metrics} needs a login session
     * @param sessionIdleMinutes a login session ends after this many minutes without a request
     */
    public record Ui(boolean enabled, String host, int port, Path tlsCertificateFile, Path tlsKeyFile,
                     Path metricsTokenFile, int sessionIdleMinutes) {
        public static final int DEFAULT_SESSION_IDLE_MINUTES = 30;

        /** Plain HTTP, no metrics token, 30 minute sessions. */
        public Ui(boolean enabled, String host, int port) {
            this(enabled, host, port, null, null, null, DEFAULT_SESSION_IDLE_MINUTES);
        }

        public Ui {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("ui.port must be 0-65535, got " + port);
            }
            if (host == null || host.isBlank()) {
                throw new IllegalArgumentException("ui.host is required");
            }
            if ((tlsCertificateFile == null) != (tlsKeyFile == null)) {
                throw new IllegalArgumentException("ui.tlsCertificateFile and ui.tlsKeyFile must be given together");
            }
            range("ui.sessionIdleMinutes", sessionIdleMinutes, 1, 24 * 60);
        }
    }

    /** The configuration of {@code bin/gateway demo}: simulator, embedded broker, page on port 8080. */
    public static GatewayConfig demo(Path dataDir) {
        return new GatewayConfig(new Gateway("demo", dataDir), new Source("simulator", 72, 1), new Dsp(50),
                RhythmLimits.ADULT_DEFAULTS, new Mqtt(true, 1883, null, null, null, true, 256), new Ui(true, "127.0.0.1", 8080));
    }
}
