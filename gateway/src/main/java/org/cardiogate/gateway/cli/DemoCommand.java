package org.cardiogate.gateway.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;

import org.cardiogate.gateway.config.GatewayConfig;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code gateway demo}: everything on this machine, no setup. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Run the whole gateway on this machine with no setup.",
                "The built-in simulator (ECG, PPG, SCG) feeds the real-time DSP; results go to an embedded MQTT broker",
                "on localhost, an H2 database in the data directory and the local web page."})
public final class DemoCommand implements Callable<Integer> {

    @Mixin
    GatewayOptions options = new GatewayOptions();

    @Option(names = "--duration", paramLabel = "SECONDS", defaultValue = "0",
            description = "stop after this many seconds (default: run until Ctrl-C)")
    double duration;

    @Option(names = "--steady", description = "keep the heart rate constant instead of the 30 s scenario")
    boolean steady;

    @Override
    public Integer call() throws Exception {
        GatewayConfig config = options.apply(GatewayConfig.demo(Path.of("data", "demo")));
        return GatewayLauncher.runForeground(config, !steady, duration, System.out);
    }
}
