package org.cardiogate.gateway.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;

import org.cardiogate.gateway.config.ConfigException;
import org.cardiogate.gateway.config.ConfigLoader;
import org.cardiogate.gateway.config.GatewayConfig;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code gateway run --config FILE}: the service entry point. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Run the gateway from a YAML configuration file (see config/gateway.example.yaml).")
public final class RunCommand implements Callable<Integer> {

    @Option(names = "--config", required = true, paramLabel = "FILE", description = "the YAML configuration file")
    Path configFile;

    @Option(names = "--duration", paramLabel = "SECONDS", defaultValue = "0",
            description = "stop after this many seconds (default: run until stopped)")
    double duration;

    @Mixin
    GatewayOptions options = new GatewayOptions();

    @Override
    public Integer call() throws Exception {
        GatewayConfig config;
        try {
            config = options.apply(ConfigLoader.load(configFile));
        } catch (ConfigException | IllegalArgumentException e) {
            System.err.println("invalid configuration: " + e.getMessage());
            return 2;
        }
        return GatewayLauncher.runForeground(config, false, duration, System.out);
    }
}
