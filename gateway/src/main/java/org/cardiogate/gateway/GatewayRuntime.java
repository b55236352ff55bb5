package org.cardiogate.gateway;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.time.Duration;

import org.cardiogate.gateway.alarms.GatewayAlarms;
import org.cardiogate.gateway.config.GatewayConfig;
import org.cardiogate.inference.beat.BeatClassifierException;
import org.cardiogate.inference.beat.InferenceConfig;
import org.cardiogate.inference.beat.OnnxBeatClassifier;
import org.cardiogate.gateway.pipeline.Pipeline;
import org.cardiogate.gateway.storage.EventStore;
import org.cardiogate.gateway.recording.RecordingService;
import org.cardiogate.gateway.recording.RecordingSettings;
import org.cardiogate.gateway.storage.LocalStore;
import org.cardiogate.gateway.storage.RetentionPolicy;
import org.cardiogate.gateway.service.SystemdNotifier;
import org.cardiogate.gateway.service.Watchdog;
import org.cardiogate.gateway.commands.GatewayCommands;
import org.cardiogate.mqtt.CommandPolicy;
import org.cardiogate.mqtt.EmbeddedBroker;
import org.cardiogate.mqtt.TlsSettings;
import org.cardiogate.mqtt.MqttPublisher;
import org.cardiogate.mqtt.MqttSettings;
import org.cardiogate.mqtt.MqttTopics;
import org.cardiogate.sensor.sim.PhysiologySimulator;
import org.cardiogate.sensor.sim.SimulatorConfig;
import org.cardiogate.sensor.sim.SimulatorSource;
import org.cardiogate.sensor.SensorSource;
import org.cardiogate.sensor.board.EmulatedBoards;
import org.cardiogate.sensor.board.EmulatedBoardsConfig;
import org.cardiogate.sensor.board.HardwareBoards;
import org.cardiogate.sensor.fault.TechnicalEvent;
import org.cardiogate.sensor.timing.HostTime;
import org.cardiogate.signal.MonotonicClock;
import org.cardiogate.ui.LiveState;
import org.cardiogate.ui.OneTimePasswordNotice;
import org.cardiogate.ui.UiHooks;
import org.cardiogate.ui.UiServer;
import org.cardiogate.ui.UiSettings;
import org.cardiogate.gateway.page.PageHooks;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running gateway: the sensor source, the real-time pipeline, and its outputs (H2 store, MQTT publisher with an
 * optional embedded broker, the local page). Built from a {@link GatewayConfig}; {@link #close()} stops everything
 * in reverse order of start.
 */
public final class GatewayRuntime implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(GatewayRuntime.class);

    private final GatewayConfig config;
    private final List<AutoCloseable> started = new ArrayList<>();
    private EmbeddedBroker broker;
    private MqttPublisher publisher;
    private EventStore store;
    private LiveState live;
    private UiServer ui;
    private SimulatorSource source;
    private volatile Pipeline pipeline;
    private SensorSource sensors;
    private OnnxBeatClassifier classifier;
    private GatewayAlarms alarms;
    private LocalStore local;
    private RecordingService recorder;
    private final GatewayCommands commands = new GatewayCommands();
    private SystemdNotifier notifier;
    private String brokerUri;

    private final OneTimePasswordNotice passwordNotice;

    private GatewayRuntime(GatewayConfig config, OneTimePasswordNotice passwordNotice) {
        this.config = config;
        this.passwordNotice = passwordNotice;
    }

    /** Starts a gateway; on failure, whatever was started is stopped again and the cause is thrown. */
    public static GatewayRuntime start(GatewayConfig config) throws IOException, SQLException {
        return start(config, OneTimePasswordNotice.STDOUT);
    }

    /**
     * Starts a gateway whose page hands its first-start one-time password to {@code passwordNotice} instead of
     * standard output (an installer that shows it elsewhere, or a test that logs in).
     */
    public static GatewayRuntime start(GatewayConfig config, OneTimePasswordNotice passwordNotice)
            throws IOException, SQLException {
        GatewayRuntime g = new GatewayRuntime(config, java.util.Objects.requireNonNull(passwordNotice, "passwordNotice"));
        try {
            g.startAll();
            return g;
        } catch (IOException | SQLException | RuntimeException e) {
            g.close();
            throw e;
        }
    }

    private void startAll() throws IOException, SQLException {
        Path dataDir = config.gateway().dataDir();
        Files.createDirectories(dataDir);
        Clock wall = Clock.systemUTC();

        store = track(new EventStore(dataDir.resolve("db"), 8192, wall));
        local = track(LocalStore.open(dataDir.resolve("db"), wall));
        GatewayConfig.Storage st = config.storage();
        track(local.retention(new RetentionPolicy(Duration.ofDays(st.rawDays()), Duration.ofDays(st.trendDays()),
                Duration.ofDays(st.recordDays()), st.maxMb() * 1024L * 1024L)).schedule(Duration.ofHours(1)));

        GatewayConfig.Mqtt m = config.mqtt();
        if (m.embeddedBroker()) {
            broker = track(EmbeddedBroker.start("127.0.0.1", m.embeddedPort(), null));
            brokerUri = broker.serverUri();
        } else {
            brokerUri = m.serverUri();
        }
        MqttSettings settings = MqttSettings.of(brokerUri, config.gateway().id())
                .withClientId("cardiogate-" + config.gateway().id())
                // store-and-forward: every message is journaled here first and deleted only when the broker acks it
                .withOutbox(dataDir.resolve("mqtt-outbox"))
                .withOutboxBudget(m.outboxBudgetMb() * 1024L * 1024L,
                        Math.min(MqttSettings.DEFAULT_SEGMENT_BYTES, m.outboxBudgetMb() * 1024L * 1024L / 8));
        if (m.username() != null) {
            settings = settings.withCredentials(m.username(), readSecret(m.passwordFile()));
        }
        if (m.tlsCaFile() != null) {
            settings = settings.withTls(new TlsSettings(m.tlsCaFile(), m.tlsClientCertFile(), m.tlsClientKeyFile()));
        }
        CommandPolicy policy = commandPolicy(m);
        publisher = track(policy == null ? MqttPublisher.start(settings, wall)
                : MqttPublisher.start(settings, wall, policy, commands));

        live = track(LiveState.start());
        live.setStatus("gatewayId", config.gateway().id());
        live.setStatus("mqtt", brokerUri);
        live.setStatus("source", config.source().type());

        SimulatorConfig sim = SimulatorConfig.defaults().withSeed(config.source().seed())
                .withHeartRate(config.source().heartRateBpm()).withMainsHz(config.dsp().mainsHz());
        sensors = switch (config.source().type()) {
            case "emulated-bench" -> EmulatedBoards.simulated(EmulatedBoardsConfig.defaults().withSimulator(sim),
                    HostTime.system(), this::technicalEvent);
            case "replay" -> EmulatedBoards.replay(config.source().record(),
                    EmulatedBoardsConfig.defaults().withSimulator(sim), HostTime.system(), this::technicalEvent);
            case "hardware" -> HardwareBoards.open(config.sensors(), HostTime.system(), this::technicalEvent);
            default -> source = new SimulatorSource(sim, MonotonicClock.SYSTEM);
        };
        classifier = loadClassifier();
        GatewayConfig.Recording rc = config.recording();
        recorder = track(new RecordingService(RecordingSettings.defaults(dataDir, config.gateway().id())
                .withContinuous(rc.continuous())
                .withRotation(rc.maxFileMinutes() * 60, rc.maxFileMb() * 1024L * 1024L)
                .withRetention(rc.retainFiles(), Duration.ofDays(rc.retainDays())),
                sensors.streams(), wall, MonotonicClock.SYSTEM));
        pipeline = track(new Pipeline(sensors, config.alarms(), MonotonicClock.SYSTEM.nanoTime(), classifier));
        alarms = track(new GatewayAlarms(MonotonicClock.SYSTEM));
        pipeline.addOutput(alarms);
        pipeline.addOutput(store);
        pipeline.addOutput(publisher);
        pipeline.addOutput(live);
        if (m.waveforms()) {
            pipeline.addWaveformOutput(publisher::publishWaveform);
        }
        pipeline.addWaveformOutput(live::onSamples);
        pipeline.addOutput(recorder);
        pipeline.addWaveformOutput(recorder);
        String provider = classifier == null ? "rules only (no beat classifier)"
                : "onnxruntime " + classifier.provider();
        PageHooks hooks = new PageHooks(config, pipeline, publisher, brokerUri, () -> provider);
        commands.ready(hooks, alarms, recorder);
        if (config.ui().enabled()) {
            // login is always required: the first start prints a one-time password on the console / journal
            ui = track(UiServer.start(uiSettings(config.ui(), dataDir.resolve("ui")), live,
                    UiHooks.NONE.withStatus(hooks).withConfig(hooks).withAlarms(alarms).withRecordings(recorder)
                            .withPasswordNotice(passwordNotice)
                            .withReadiness(() -> publisher.isConnected() || pipeline.beatCount() > 0 ? ""
                                    : "waiting for the first beat or the MQTT broker")));
        }
        pipeline.start();
        notifier = SystemdNotifier.fromEnvironment();
        notifier.ready("gateway '" + config.gateway().id() + "' running");
        Optional<Duration> wd = notifier.watchdogInterval();
        if (wd.isPresent()) {
            track(Watchdog.forInterval(notifier, wd.get(), List.of(new Watchdog.Progress("dsp", pipeline::loopCycles))));
        }
        LOG.info("gateway '{}' running: source {}, broker {}, page {}", config.gateway().id(), config.source().type(),
                brokerUri, uiAddress());
    }

    /** Driver faults and recoveries: logged and turned into technical alarms by the pipeline (acquisition thread; never blocks). */
    private void technicalEvent(TechnicalEvent e) {
        LOG.warn("sensor {}: {} {}", e.sensor(), e.type(), e.detail());
        Pipeline p = pipeline;
        if (p != null) {
            p.onTechnicalEvent(e);
        }
    }


    /** Tokens and allow-list of MQTT commands; null (no commands accepted) without a token file. */
    private static CommandPolicy commandPolicy(GatewayConfig.Mqtt m) throws IOException {
        if (m.commandTokensFile() == null) {
            return null;
        }
        java.util.Set<String> tokens = new java.util.HashSet<>();
        try {
            for (String line : Files.readAllLines(m.commandTokensFile())) {
                if (!line.isBlank() && !line.strip().startsWith("#")) {
                    tokens.add(line.strip());
                }
            }
        } catch (IOException e) {
            throw new IOException("mqtt.commandTokensFile " + m.commandTokensFile() + ": cannot read: " + e.getMessage(), e);
        }
        java.util.Set<String> allowed = m.commandsAllowed() == null ? CommandPolicy.ALL_COMMANDS
                : java.util.Set.of(m.commandsAllowed().split("\\s*,\\s*"));
        try {
            return CommandPolicy.of(tokens, allowed);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("mqtt.commandTokensFile / mqtt.commandsAllowed: " + e.getMessage(), e);
        }
    }

    /** The shipped beat classifier on the CPU; when it cannot load, the gateway says why and runs rule-based. */
    private OnnxBeatClassifier loadClassifier() {
        try {
            GatewayConfig.Inference in = config.inference();
            if (!in.enabled()) {
                LOG.info("beat classifier off (inference.enabled: false): rule-based detection only");
                return null;
            }
            InferenceConfig ic = new InferenceConfig(in.providerList(), 0, in.tensorrtFp16(), in.engineCache(), 1);
            // closed by the pipeline's inference worker
            return in.modelManifest() == null ? OnnxBeatClassifier.loadDefault(ic)
                    : OnnxBeatClassifier.load(in.modelManifest(), ic);
        } catch (BeatClassifierException | RuntimeException | UnsatisfiedLinkError e) {
            LOG.warn("beat classifier not available ({}); continuing with rule-based detection only", e.getMessage());
            return null;
        }
    }

    /** The page's settings from the {@code ui} section; secrets and certificates are read from their files. */
    private static UiSettings uiSettings(GatewayConfig.Ui u, Path uiDir) throws IOException {
        UiSettings settings = UiSettings.of(u.host(), u.port(), uiDir)
                .withSessionIdle(Duration.ofMinutes(u.sessionIdleMinutes()));
        if (u.tlsCertificateFile() != null) {
            for (Path f : List.of(u.tlsCertificateFile(), u.tlsKeyFile())) {
                if (!Files.isReadable(f)) {
                    throw new IOException((f.equals(u.tlsKeyFile()) ? "ui.tlsKeyFile " : "ui.tlsCertificateFile ") + f
                            + ": cannot read the file");
                }
            }
            settings = settings.withTls(u.tlsCertificateFile(), u.tlsKeyFile());
        }
        if (u.metricsTokenFile() != null) {
            String token;
            try {
                token = Files.readString(u.metricsTokenFile()).strip();
            } catch (IOException e) {
                throw new IOException("ui.metricsTokenFile " + u.metricsTokenFile() + ": cannot read: " + e.getMessage(), e);
            }
            try {
                settings = settings.withMetricsToken(token);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("ui.metricsTokenFile " + u.metricsTokenFile() + ": " + e.getMessage(), e);
            }
        }
        return settings;
    }

    private static String readSecret(Path file) throws IOException {
        if (file == null) {
            return null;
        }
        try {
            return Files.readString(file).strip();
        } catch (IOException e) {
            throw new IOException("mqtt.passwordFile " + file + ": cannot read: " + e.getMessage(), e);
        }
    }

    private <T extends AutoCloseable> T track(T c) {
        started.add(c);
        return c;
    }

    public GatewayConfig config() {
        return config;
    }

    /** The simulator, for run-time changes of heart rate and ectopic beats. */
    public PhysiologySimulator simulator() {
        if (source == null) {
            throw new IllegalStateException("source.type is " + config.source().type() + ", not the simulator");
        }
        return source.simulator();
    }

    /** The sensor source the gateway runs on (the emulated bench's chips, for tests that inject faults). */
    public SensorSource sensors() {
        return sensors;
    }

    /** The simulator source, e.g. to disconnect a stream as if a sensor were unplugged; null for other sources. */
    public SimulatorSource simulatorSource() {
        return source;
    }

    public String brokerUri() {
        return brokerUri;
    }

    public String topicPrefix() {
        return new MqttTopics(config.gateway().id()).prefix();
    }

    /** The page's address, or {@code null} when the page is off. */
    public String uiAddress() {
        return ui == null ? null : (config.ui().tlsCertificateFile() == null ? "http://" : "https://")
                + config.ui().host() + ":" + ui.port() + "/";
    }

    public EventStore store() {
        return store;
    }

    public MqttPublisher publisher() {
        return publisher;
    }

    /** The state the page shows (the same stream of beats, vitals and events the MQTT bridge sees). */
    public LiveState live() {
        return live;
    }

    /** Audit log, configuration history, alarm table, retention and backup. */
    public LocalStore local() {
        return local;
    }

    /** Recordings (EDF+ with WFDB export), started and stopped from the page or MQTT. */
    public RecordingService recordings() {
        return recorder;
    }

    public GatewayAlarms alarms() {
        return alarms;
    }

    public Pipeline pipeline() {
        return pipeline;
    }

    /** Stops in reverse order: source and DSP first (so nothing new is produced), then outputs, page, broker. */
    @Override
    public void close() {
        if (notifier != null) {
            notifier.stopping("stopping");
        }
        for (int i = started.size() - 1; i >= 0; i--) {
            try {
                started.get(i).close();
            } catch (Exception e) {
                LOG.warn("stopping {}: {}", started.get(i).getClass().getSimpleName(), e.toString());
            }
        }
        started.clear();
    }
}
