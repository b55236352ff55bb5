package org.cardiogate.gateway.cli;

import org.cardiogate.gateway.Main;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code gateway version}: the gateway's version and the Java runtime it runs on. */
@Command(name = "version", mixinStandardHelpOptions = true, description = "Print the version of the gateway and its Java runtime.")
public final class VersionCommand implements Runnable {

    @Override
    public void run() {
        for (String line : new Provider().getVersion()) {
            System.out.println(line);
        }
    }

    /** Version lines, shared by {@code gateway --version} and {@code gateway version}. */
    public static final class Provider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"CardioGate " + version(),
                    "Java " + Runtime.version() + " (" + System.getProperty("java.vendor") + ", " + System.getProperty("os.arch") + ")"};
        }
    }

    /** The version from the jar manifest, or {@code development} when run from classes. */
    public static String version() {
        String v = Main.class.getPackage().getImplementationVersion();
        return v == null ? "development" : v;
    }
}
