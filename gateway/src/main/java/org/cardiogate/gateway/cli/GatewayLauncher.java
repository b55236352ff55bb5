package org.cardiogate.gateway.cli;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.cardiogate.gateway.GatewayRuntime;
import org.cardiogate.gateway.config.GatewayConfig;
import org.cardiogate.sensor.sim.EctopicKind;

/**
 * Runs a gateway in the foreground until Ctrl-C (or for a set duration), printing where to look. In the demo, the
 * simulator follows a scenario (heart rate changing every 30 s) and takes commands on standard input.
 */
final class GatewayLauncher {
    private GatewayLauncher() {
    }

    static int runForeground(GatewayConfig config, boolean scenario, double durationSeconds, PrintStream out)
            throws Exception {
        GatewayRuntime g = GatewayRuntime.start(config);
        CountDownLatch stop = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            stop.countDown();
            g.close();
        }, "shutdown");
        Runtime.getRuntime().addShutdownHook(hook);

        out.println("CardioGate gateway '" + config.gateway().id() + "' is running.");
        if (g.uiAddress() != null) {
            out.println("  web page:     " + g.uiAddress());
        }
        out.println("  MQTT broker:  " + g.brokerUri() + (config.mqtt().embeddedBroker() ? " (embedded)" : ""));
        out.println("  topic prefix: " + g.topicPrefix() + "   try: mosquitto_sub -h " + host(g.brokerUri()) + " -p "
                + port(g.brokerUri()) + " -t '" + g.topicPrefix() + "#' -v");
        out.println("  data dir:     " + config.gateway().dataDir().toAbsolutePath());
        if (scenario) {
            out.println("  scenario:     heart rate 72 -> 110 -> 48 -> 72 bpm, 30 s each; type 'hr 90', 'pvc', 'pac', 'ecg off', 'ecg on' or 'quit'");
            Thread.ofPlatform().daemon(true).name("demo-scenario").start(() -> scenario(g, stop));
            Thread.ofPlatform().daemon(true).name("demo-console").start(() -> console(g, stop, out));
        }
        out.println("Press Ctrl-C to stop.");
        out.flush();

        if (durationSeconds > 0) {
            stop.await((long) (durationSeconds * 1000), TimeUnit.MILLISECONDS);
        } else {
            stop.await();
        }
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            return 0; // the hook closes the gateway
        }
        out.printf(Locale.ROOT, "Stopping: %d beats, %d events, %d MQTT messages published.%n",
                g.pipeline().beatCount(), g.pipeline().eventCount(), g.publisher().publishedCount());
        g.pipeline().latency().forEach(l -> out.println("  DSP block latency: " + l));
        g.close();
        return 0;
    }

    private static void scenario(GatewayRuntime g, CountDownLatch stop) {
        double[] rates = {72, 110, 48, 72};
        int i = 0;
        try {
            while (!stop.await(30, TimeUnit.SECONDS)) {
                i = (i + 1) % rates.length;
                g.simulator().setHeartRate(rates[i]);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void console(GatewayRuntime g, CountDownLatch stop, PrintStream out) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                String[] w = line.trim().toLowerCase(Locale.ROOT).split("\\s+");
                try {
                    switch (w[0]) {
                        case "hr" -> {
                            double bpm = Double.parseDouble(w[1]);
                            g.simulator().setHeartRate(bpm);
                            out.println("simulator heart rate set to " + bpm + " bpm");
                        }
                        case "pvc" -> g.simulator().injectEctopic(EctopicKind.PVC);
                        case "pac" -> g.simulator().injectEctopic(EctopicKind.PAC);
                        case "ecg", "ppg", "scg" -> {
                            boolean on = w.length > 1 && w[1].equals("on");
                            g.simulatorSource().setConnected(w[0], on);
                            out.println(w[0] + " sensor " + (on ? "connected" : "disconnected"));
                        }
                        case "quit", "exit" -> {
                            stop.countDown();
                            return;
                        }
                        case "" -> { }
                        default -> out.println("commands: hr <bpm>, pvc, pac, ecg|ppg|scg on|off, quit");
                    }
                } catch (RuntimeException e) {
                    out.println("cannot do '" + line.trim() + "': " + e.getMessage());
                }
            }
        } catch (java.io.IOException e) {
            // no console: the demo keeps running
        }
    }

    private static String host(String uri) {
        return uri.replaceFirst("^[a-z]+://", "").replaceFirst(":\\d+$", "");
    }

    private static String port(String uri) {
        return uri.replaceFirst("^.*:", "");
    }
}
