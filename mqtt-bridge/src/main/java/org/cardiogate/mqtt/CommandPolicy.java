package org.cardiogate.mqtt;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Set;

/**
 * Who may send which commands. A command must carry a {@code token} equal to one of the configured tokens (compared
 * in constant time on their SHA-256 digests; the tokens themselves are not kept) and its name must be in the
 * allow-list. There is no anonymous mode: without tokens the bridge does not subscribe to commands at all.
 */
public final class CommandPolicy {
    /** Every command the bridge knows. */
    public static final Set<String> ALL_COMMANDS = Set.of(Command.SetConfig.NAME, Command.StartRecording.NAME,
            Command.StopRecording.NAME, Command.AcknowledgeAlarm.NAME);

    private final List<byte[]> tokenDigests;
    private final Set<String> allowed;

    private CommandPolicy(List<byte[]> tokenDigests, Set<String> allowed) {
        this.tokenDigests = tokenDigests;
        this.allowed = allowed;
    }

    /**
     * @param tokens  accepted tokens, at least one, each at least 16 characters
     * @param allowed command names allowed, a subset of {@link #ALL_COMMANDS}
     * @throws IllegalArgumentException on an empty or short token or an unknown command name
     */
    public static CommandPolicy of(Set<String> tokens, Set<String> allowed) {
        if (tokens == null || tokens.isEmpty()) {
            throw new IllegalArgumentException("MQTT commands need at least one token");
        }
        for (String name : allowed) {
            if (!ALL_COMMANDS.contains(name)) {
                throw new IllegalArgumentException("MQTT command '" + name + "' in the allow-list is unknown; known: "
                        + ALL_COMMANDS);
            }
        }
        List<byte[]> digests = tokens.stream().map(t -> {
            if (t == null || t.length() < 16) {
                throw new IllegalArgumentException("MQTT command tokens must be at least 16 characters");
            }
            return digest(t);
        }).toList();
        return new CommandPolicy(digests, Set.copyOf(allowed));
    }

    /** All commands allowed for holders of these tokens. */
    public static CommandPolicy allowingAll(Set<String> tokens) {
        return of(tokens, ALL_COMMANDS);
    }

    boolean accepts(String token) {
        if (token == null) {
            return false;
        }
        byte[] d = digest(token);
        boolean match = false;
        for (byte[] t : tokenDigests) {
            match |= MessageDigest.isEqual(t, d);
        }
        return match;
    }

    boolean allows(String command) {
        return allowed.contains(command);
    }

    public Set<String> allowed() {
        return allowed;
    }

    private static byte[] digest(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    @Override
    public String toString() {
        return "CommandPolicy[" + tokenDigests.size() + " token(s), allowed=" + allowed + "]";
    }
}
