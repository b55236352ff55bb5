package org.cardiogate.gateway.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import org.cardiogate.mqtt.GatewaySubscriber;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code gateway subscribe}: the reference consumer of the MQTT contract. */
@Command(name = "subscribe", mixinStandardHelpOptions = true,
        description = {"Subscribe to one or many gateways and print every message as a JSON line.",
                "Decodes all message kinds (JSON and binary waveforms), drops duplicates and reports gaps per topic",
                "from the seq numbers (summary on stderr when stopped with Ctrl-C). See docs/mqtt.md."})
public final class SubscribeCommand implements Callable<Integer> {

    @Option(names = "--broker", defaultValue = "tcp://127.0.0.1:1883", paramLabel = "URI",
            description = "broker, tcp://host:port or ssl://host:port (default ${DEFAULT-VALUE})")
    String broker;

    @Option(names = "--gateway", paramLabel = "ID", description = "a gateway id to follow (repeatable; default all)")
    List<String> gateways = new ArrayList<>();

    @Option(names = "--filter", paramLabel = "TOPIC", description = "an explicit topic filter (repeatable)")
    List<String> filters = new ArrayList<>();

    @Option(names = "--out", paramLabel = "FILE", description = "append JSON lines to this file instead of stdout")
    Path out;

    @Option(names = "--samples", description = "include waveform samples in the output")
    boolean samples;

    @Option(names = "--client-id", paramLabel = "ID", description = "MQTT client id")
    String clientId;

    @Option(names = "--user", paramLabel = "NAME", description = "user name")
    String user;

    @Option(names = "--password-file", paramLabel = "FILE", description = "file holding the password")
    Path passwordFile;

    @Option(names = "--ca", paramLabel = "PEM", description = "CA certificate to verify the broker (TLS)")
    Path ca;

    @Option(names = "--cert", paramLabel = "PEM", description = "client certificate (mutual TLS)")
    Path cert;

    @Option(names = "--key", paramLabel = "PEM", description = "client private key, PKCS#8 (mutual TLS)")
    Path key;

    @Option(names = "--clean", description = "clean session (do not resume a previous subscription)")
    boolean clean;

    @Override
    public Integer call() throws Exception {
        List<String> a = new ArrayList<>(List.of("--broker", broker));
        gateways.forEach(g -> a.addAll(List.of("--gateway", g)));
        filters.forEach(f -> a.addAll(List.of("--filter", f)));
        add(a, "--out", out);
        add(a, "--client-id", clientId);
        add(a, "--user", user);
        add(a, "--password-file", passwordFile);
        add(a, "--ca", ca);
        add(a, "--cert", cert);
        add(a, "--key", key);
        if (samples) {
            a.add("--samples");
        }
        if (clean) {
            a.add("--clean");
        }
        try {
            GatewaySubscriber.main(a.toArray(String[]::new));
        } catch (IllegalArgumentException e) {
            System.err.println("subscribe: " + e.getMessage());
            return 2;
        }
        return 0;
    }

    private static void add(List<String> a, String option, Object value) {
        if (value != null) {
            a.add(option);
            a.add(value.toString());
        }
    }
}
