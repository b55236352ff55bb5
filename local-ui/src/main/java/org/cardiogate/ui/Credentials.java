package org.cardiogate.ui;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Properties;

import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * The page's single login: user {@value #USER}, its password kept only as a salted PBKDF2-HMAC-SHA256 hash
 * ({@value #ITERATIONS} iterations, 16-byte salt, 32-byte hash) in {@value #FILE_NAME} (owner read/write only).
 *
 * <p>There is no default password: when the file does not exist, {@link #open} creates a random one-time password,
 * stores its hash with {@code mustChange=true} and hands the password once to the {@link OneTimePasswordNotice}.
 * The user must then choose a new one ({@link #change}) before anything else is served.
 *
 * <p>Thread-safe: verification runs in parallel, changes are serialised.
 */
final class Credentials {
    static final String FILE_NAME = "ui-credentials.properties";
    static final String USER = "admin";
    static final int ITERATIONS = 150_000;
    static final int MIN_PASSWORD_LENGTH = 10;
    private static final String ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path file;
    private volatile Stored stored;

    private record Stored(String user, byte[] salt, int iterations, byte[] hash, boolean mustChange) {
    }

    private Credentials(Path file, Stored stored) {
        this.file = file;
        this.stored = stored;
    }

    /** Reads the credential file in {@code dataDir}, creating it (and a one-time password) when missing. */
    static Credentials open(Path dataDir, OneTimePasswordNotice notice) throws IOException {
        Files.createDirectories(dataDir);
        Path file = dataDir.resolve(FILE_NAME);
        if (Files.exists(file)) {
            return new Credentials(file, read(file));
        }
        String password = randomPassword(16);
        Credentials created = new Credentials(file, hash(USER, password, true));
        created.save();
        notice.show(USER, password, file);
        return created;
    }

    boolean mustChange() {
        return stored.mustChange();
    }

    /** Whether the user and password match; takes the full PBKDF2 time whether or not the user exists. */
    boolean verify(String user, String password) {
        Stored s = stored;
        byte[] candidate = pbkdf2(password == null ? "" : password, s.salt(), s.iterations());
        boolean hashOk = MessageDigest.isEqual(candidate, s.hash());
        return hashOk & MessageDigest.isEqual(s.user().getBytes(StandardCharsets.UTF_8),
                (user == null ? "" : user).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Replaces the password after checking the old one. Returns {@code null} when done, else the problem with the
     * new password (or {@code "old password is wrong"}).
     */
    synchronized String change(String oldPassword, String newPassword) throws IOException {
        if (!verify(stored.user(), oldPassword)) {
            return "old password is wrong";
        }
        String problem = weakness(newPassword, oldPassword);
        if (problem != null) {
            return problem;
        }
        stored = hash(stored.user(), newPassword, false);
        save();
        return null;
    }

    static String weakness(String password, String old) {
        if (password == null || password.length() < MIN_PASSWORD_LENGTH) {
            return "must be at least " + MIN_PASSWORD_LENGTH + " characters";
        }
        if (password.equals(old)) {
            return "must differ from the old password";
        }
        if (password.chars().distinct().count() < 5) {
            return "must use at least 5 different characters";
        }
        return null;
    }

    static String randomPassword(int length) {
        StringBuilder sb = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            sb.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        }
        return sb.toString();
    }

    private static Stored hash(String user, String password, boolean mustChange) {
        byte[] salt = new byte[16];
        RANDOM.nextBytes(salt);
        return new Stored(user, salt, ITERATIONS, pbkdf2(password, salt, ITERATIONS), mustChange);
    }

    private static byte[] pbkdf2(String password, byte[] salt, int iterations) {
        PBEKeySpec spec = new PBEKeySpec(password.toCharArray(), salt, iterations, 256);
        try {
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("PBKDF2WithHmacSHA256 is not available: " + e.getMessage(), e);
        } finally {
            spec.clearPassword();
        }
    }

    private static Stored read(Path file) throws IOException {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        }
        try {
            String user = required(p, file, "user");
            byte[] salt = Base64.getDecoder().decode(required(p, file, "salt"));
            int iterations = Integer.parseInt(required(p, file, "iterations"));
            byte[] hash = Base64.getDecoder().decode(required(p, file, "hash"));
            if (iterations < 100_000 || salt.length < 16 || hash.length != 32) {
                throw new IOException(file + ": 'iterations' (>= 100000), 'salt' (>= 16 bytes) or 'hash' (32 bytes)"
                        + " is out of range; delete the file to create a new one-time password");
            }
            return new Stored(user, salt, iterations, hash, Boolean.parseBoolean(p.getProperty("mustChange", "true")));
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": unreadable credential (" + e.getMessage()
                    + "); delete the file to create a new one-time password", e);
        }
    }

    private static String required(Properties p, Path file, String key) throws IOException {
        String value = p.getProperty(key);
        if (value == null || value.isBlank()) {
            throw new IOException(file + ": field '" + key + "' is missing; delete the file to create a new one-time"
                    + " password");
        }
        return value.strip();
    }

    private void save() throws IOException {
        Stored s = stored;
        Properties p = new Properties();
        p.setProperty("user", s.user());
        p.setProperty("algorithm", "PBKDF2WithHmacSHA256");
        p.setProperty("iterations", Integer.toString(s.iterations()));
        p.setProperty("salt", Base64.getEncoder().encodeToString(s.salt()));
        p.setProperty("hash", Base64.getEncoder().encodeToString(s.hash()));
        p.setProperty("mustChange", Boolean.toString(s.mustChange()));
        Path tmp = file.resolveSibling(FILE_NAME + ".tmp");
        Files.deleteIfExists(tmp);
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        }
        try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
            p.store(w, "CardioGate local page login; salted PBKDF2 hash only");
        }
        try {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
