package org.cardiogate.signal.wfdb;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Writes a single-segment WFDB record: {@code <recordName>.hea} with checksums and initial values, and all signals
 * interleaved in {@code <recordName>.dat} in format 16 or 212. {@link WfdbRecord#read(Path)} reads it back unchanged.
 *
 * <p>Stateless and thread-safe (concurrent writes of the same record name into the same directory are not).
 */
public final class WfdbWriter {
    private WfdbWriter() {
    }

    /**
     * Writes a record, replacing existing files of the same name.
     *
     * @param dir         the directory, created if missing
     * @param recordName  letters, digits, {@code _} and {@code -}
     * @param fs          sampling frequency in Hz
     * @param signalNames one description per signal, e.g. {@code "MLII"} (no line breaks)
     * @param units       physical units per signal, e.g. {@code "mV"} (no blanks)
     * @param gains       ADC units per physical unit per signal, positive
     * @param baselines   digital value of 0 physical units per signal
     * @param digital     the samples, {@code digital[signal][sample]}, all signals of equal length
     * @param format      16 (16-bit little-endian) or 212 (12-bit packed, values -2048..2047)
     * @throws IllegalArgumentException when the arguments disagree or a sample does not fit the format
     */
    public static void write(Path dir, String recordName, double fs, String[] signalNames, String[] units,
                             double[] gains, int[] baselines, int[][] digital, int format) throws IOException {
        Objects.requireNonNull(dir, "dir");
        if (recordName == null || !recordName.matches("[A-Za-z0-9_-]+")) {
            throw new IllegalArgumentException("record name '" + recordName
                    + "' must use only letters, digits, '_' and '-'");
        }
        if (!(fs > 0) || Double.isInfinite(fs)) {
            throw new IllegalArgumentException("sampling frequency must be a positive number of Hz, got " + fs);
        }
        if (format != 16 && format != 212) {
            throw new IllegalArgumentException("format " + format + " cannot be written; use 16 or 212");
        }
        int nsig = digital.length;
        if (signalNames.length != nsig || units.length != nsig || gains.length != nsig || baselines.length != nsig) {
            throw new IllegalArgumentException("record " + recordName + ": " + nsig + " signals of samples but "
                    + signalNames.length + " names, " + units.length + " units, " + gains.length + " gains and "
                    + baselines.length + " baselines");
        }
        if (nsig == 0) {
            throw new IllegalArgumentException("record " + recordName + " has no signals");
        }
        int len = digital[0].length;
        int min = format == 212 ? -2048 : -32768;
        int max = format == 212 ? 2047 : 32767;
        String datName = recordName + ".dat";
        List<WfdbSignalSpec> specs = new ArrayList<>(nsig);
        for (int s = 0; s < nsig; s++) {
            String name = Objects.requireNonNull(signalNames[s], "signal name " + s);
            if (name.indexOf('\n') >= 0 || name.indexOf('\r') >= 0) {
                throw new IllegalArgumentException("signal " + s + " name must not contain line breaks");
            }
            if (units[s] == null || units[s].isEmpty() || !units[s].matches("\\S+") || units[s].contains("(")) {
                throw new IllegalArgumentException("signal " + s + " (" + name + ") units '" + units[s]
                        + "' must be non-empty with no blanks or '('");
            }
            if (!(gains[s] > 0) || Double.isInfinite(gains[s])) {
                throw new IllegalArgumentException("signal " + s + " (" + name + ") gain must be positive, got "
                        + gains[s]);
            }
            if (digital[s].length != len) {
                throw new IllegalArgumentException("signal " + s + " (" + name + ") has " + digital[s].length
                        + " samples, signal 0 has " + len);
            }
            int[] x = digital[s];
            for (int i = 0; i < len; i++) {
                if (x[i] < min || x[i] > max) {
                    throw new IllegalArgumentException("signal " + s + " (" + name + ") sample " + i + " = " + x[i]
                            + " does not fit format " + format + " (" + min + ".." + max + ")");
                }
            }
            specs.add(new WfdbSignalSpec(datName, format, 1, 0, 0, gains[s], baselines[s], units[s],
                    format == 212 ? 12 : 16, 0, len > 0 ? x[0] : 0, WfdbRecord.checksum(x), true, 0, name.strip()));
        }
        WfdbHeader header = new WfdbHeader(recordName, nsig, fs, fs, 0, len, null, null, specs, List.of());
        byte[] data = format == 16 ? encode16(digital, len) : encode212(digital, len);
        Files.createDirectories(dir);
        Files.write(dir.resolve(datName), data);
        Files.writeString(dir.resolve(recordName + ".hea"), header.toHeaderText(), StandardCharsets.ISO_8859_1);
    }

    private static byte[] encode16(int[][] digital, int len) {
        int n = digital.length;
        byte[] b = new byte[Math.multiplyExact(2 * n, len)];
        int p = 0;
        for (int t = 0; t < len; t++) {
            for (int s = 0; s < n; s++) {
                int v = digital[s][t];
                b[p++] = (byte) v;
                b[p++] = (byte) (v >> 8);
            }
        }
        return b;
    }

    private static byte[] encode212(int[][] digital, int len) {
        int n = digital.length;
        long total = (long) n * len;
        byte[] b = new byte[Math.toIntExact(WfdbRecord.bytesFor(212, total))];
        int p = 0;
        boolean odd = false;
        for (int t = 0; t < len; t++) {
            for (int s = 0; s < n; s++) {
                int v = digital[s][t] & 0xfff;
                if (!odd) {
                    b[p] = (byte) v;
                    b[p + 1] = (byte) (v >> 8);
                } else {
                    b[p + 1] |= (byte) ((v >> 4) & 0xf0);
                    b[p + 2] = (byte) v;
                    p += 3;
                }
                odd = !odd;
            }
        }
        return b;
    }
}
