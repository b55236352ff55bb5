package org.cardiogate.gateway;

import org.cardiogate.gateway.cli.AnalyzeCommand;
import org.cardiogate.gateway.cli.BackupCommand;
import org.cardiogate.gateway.cli.BoardCheckCommand;
import org.cardiogate.gateway.cli.DemoCommand;
import org.cardiogate.gateway.cli.EvaluateCommand;
import org.cardiogate.gateway.cli.RunCommand;
import org.cardiogate.gateway.cli.SubscribeCommand;
import org.cardiogate.gateway.cli.VersionCommand;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of {@code bin/gateway}. */
@Command(name = "gateway", mixinStandardHelpOptions = true, versionProvider = VersionCommand.Provider.class,
        description = "CardioGate bedside cardiac edge gateway.",
        subcommands = {DemoCommand.class, RunCommand.class, AnalyzeCommand.class, EvaluateCommand.class,
                SubscribeCommand.class, BoardCheckCommand.class, BackupCommand.class, VersionCommand.class,
                CommandLine.HelpCommand.class})
public final class Main implements Runnable {

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        // Helidon and others log through java.util.logging: send it to the gateway's logback configuration
        org.slf4j.bridge.SLF4JBridgeHandler.removeHandlersForRootLogger();
        org.slf4j.bridge.SLF4JBridgeHandler.install();
        System.exit(execute(args));
    }

    /** Runs a command line and returns its exit code (tests call this). */
    public static int execute(String... args) {
        return new CommandLine(new Main()).setCaseInsensitiveEnumValuesAllowed(true).execute(args);
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
