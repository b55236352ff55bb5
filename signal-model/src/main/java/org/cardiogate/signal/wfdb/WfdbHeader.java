package org.cardiogate.signal.wfdb;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A parsed single-segment WFDB header ({@code .hea}) file.
 *
 * @param recordName        the record name from the record line
 * @param signalCount       number of signals, equal to {@code signals().size()}
 * @param samplingFrequency samples per second per signal, in Hz (WFDB's default of 250 Hz when the header omits it)
 * @param counterFrequency  counter (tick) frequency in Hz, equal to the sampling frequency when absent
 * @param baseCounter       counter value of sample 0, 0 when absent
 * @param sampleCount       samples per signal, 0 when the header does not say
 * @param baseTime          time of day of sample 0 as written ({@code hh:mm:ss}), or {@code null}
 * @param baseDate          date of sample 0 as written ({@code dd/mm/yyyy}), or {@code null}
 * @param signals           one specification per signal, in header order
 * @param comments          the text of each {@code #} comment line, without the {@code #} and surrounding blanks
 */
public record WfdbHeader(String recordName, int signalCount, double samplingFrequency, double counterFrequency,
                         double baseCounter, long sampleCount, String baseTime, String baseDate,
                         List<WfdbSignalSpec> signals, List<String> comments) {
    /** Sampling frequency the WFDB library assumes when a header gives none. */
    public static final double DEFAULT_FREQUENCY = 250.0;

    private static final Pattern DECIMAL = Pattern.compile("[-+]?(\\d+\\.?\\d*|\\.\\d+)([eE][-+]?\\d+)?");
    private static final Pattern TOKEN = Pattern.compile("\\S+");
    private static final Pattern FORMAT_SPEC = Pattern.compile("(\\d+)(?:x(\\d+))?(?::(\\d+))?(?:\\+(\\d+))?");
    private static final Pattern GAIN_SPEC = Pattern.compile("([^(/]*)(?:\\(([^)]*)\\))?(?:/(.*))?");
    private static final Pattern FREQUENCY_SPEC = Pattern.compile("([^/(]+)(?:/([^(]+)(?:\\(([^)]*)\\))?)?");

    public WfdbHeader {
        Objects.requireNonNull(recordName, "recordName");
        signals = List.copyOf(signals);
        comments = List.copyOf(comments);
        if (signalCount != signals.size()) {
            throw new IllegalArgumentException("signalCount " + signalCount + " but " + signals.size() + " signal specifications");
        }
        if (!(samplingFrequency > 0) || Double.isInfinite(samplingFrequency)) {
            throw new IllegalArgumentException("sampling frequency must be a positive number of Hz, got " + samplingFrequency);
        }
        if (sampleCount < 0) {
            throw new IllegalArgumentException("sample count must not be negative, got " + sampleCount);
        }
    }

    /** The signal specification of signal {@code index} (0-based). */
    public WfdbSignalSpec signal(int index) {
        return signals.get(index);
    }

    /** Index of the first signal whose description equals {@code description}, or -1. */
    public int signalIndex(String description) {
        for (int i = 0; i < signals.size(); i++) {
            if (signals.get(i).description().equals(description)) {
                return i;
            }
        }
        return -1;
    }

    /** Reads and parses a header file (ISO-8859-1). */
    public static WfdbHeader parse(Path heaFile) throws IOException {
        return parse(Files.readString(heaFile, StandardCharsets.ISO_8859_1), heaFile.toString());
    }

    /**
     * Parses header text.
     *
     * @param sourceName names the text in error messages, usually the file path
     * @throws WfdbFormatException for a malformed header or a multi-segment header
     */
    public static WfdbHeader parse(String text, String sourceName) throws WfdbFormatException {
        String[] lines = text.split("\r\n|\r|\n", -1);
        List<String> comments = new ArrayList<>();
        List<WfdbSignalSpec> signals = new ArrayList<>();
        String recordName = null;
        int signalCount = 0;
        double fs = DEFAULT_FREQUENCY;
        double counterFrequency = 0;
        double baseCounter = 0;
        long sampleCount = 0;
        String baseTime = null;
        String baseDate = null;
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            int lineNo = i + 1;
            if (line.isEmpty()) {
                continue;
            }
            if (line.startsWith("#")) {
                comments.add(line.substring(1).strip());
                continue;
            }
            String where = sourceName + " line " + lineNo + ": ";
            if (recordName == null) {
                String[] t = line.split("\\s+");
                if (t[0].contains("/")) {
                    throw new WfdbFormatException(where + "multi-segment records are not supported (record line says '"
                            + t[0] + "')");
                }
                recordName = t[0];
                if (t.length > 1) {
                    signalCount = parseInt(t[1], "signal count", where);
                    if (signalCount < 0) {
                        throw new WfdbFormatException(where + "signal count " + signalCount + " is negative");
                    }
                }
                if (t.length > 2) {
                    Matcher m = FREQUENCY_SPEC.matcher(t[2]);
                    if (!m.matches()) {
                        throw new WfdbFormatException(where + "sampling frequency '" + t[2] + "' is not valid");
                    }
                    fs = parseDouble(m.group(1), "sampling frequency", where);
                    if (!(fs > 0) || Double.isInfinite(fs)) {
                        throw new WfdbFormatException(where + "sampling frequency '" + m.group(1) + "' must be positive");
                    }
                    if (m.group(2) != null) {
                        counterFrequency = parseDouble(m.group(2), "counter frequency", where);
                    }
                    if (m.group(3) != null) {
                        baseCounter = parseDouble(m.group(3), "base counter value", where);
                    }
                }
                if (t.length > 3) {
                    sampleCount = parseLong(t[3], "sample count", where);
                    if (sampleCount < 0) {
                        throw new WfdbFormatException(where + "sample count " + sampleCount + " is negative");
                    }
                }
                if (t.length > 4) {
                    baseTime = t[4];
                }
                if (t.length > 5) {
                    baseDate = t[5];
                }
                if (t.length > 6) {
                    throw new WfdbFormatException(where + "unexpected field '" + t[6] + "' after the base date");
                }
            } else if (signals.size() < signalCount) {
                signals.add(parseSignal(line, where));
            } else {
                throw new WfdbFormatException(where + "unexpected line after the " + signalCount
                        + " signal specification line(s): '" + line + "'");
            }
        }
        if (recordName == null) {
            throw new WfdbFormatException(sourceName + ": no record line (the header is empty or only comments)");
        }
        if (signals.size() < signalCount) {
            throw new WfdbFormatException(sourceName + ": record line says " + signalCount + " signals but "
                    + signals.size() + " signal specification line(s) follow");
        }
        if (counterFrequency <= 0) {
            counterFrequency = fs;
        }
        return new WfdbHeader(recordName, signalCount, fs, counterFrequency, baseCounter, sampleCount, baseTime,
                baseDate, signals, comments);
    }

    private static WfdbSignalSpec parseSignal(String line, String where) throws WfdbFormatException {
        List<String> t = new ArrayList<>(8);
        String description = "";
        Matcher tokens = TOKEN.matcher(line);
        while (tokens.find()) {
            if (t.size() == 8) {
                description = line.substring(tokens.start()).strip();
                break;
            }
            t.add(tokens.group());
        }
        if (t.size() < 2) {
            throw new WfdbFormatException(where + "signal line needs at least a file name and a format: '" + line + "'");
        }
        String fileName = t.get(0);
        Matcher f = FORMAT_SPEC.matcher(t.get(1));
        if (!f.matches()) {
            throw new WfdbFormatException(where + "format '" + t.get(1)
                    + "' is not a format specification (expected e.g. 212, 16x4, 16:2 or 212+512)");
        }
        int format = parseInt(f.group(1), "format", where);
        int samplesPerFrame = f.group(2) == null ? 1 : parseInt(f.group(2), "samples per frame", where);
        if (samplesPerFrame < 1) {
            throw new WfdbFormatException(where + "samples per frame " + samplesPerFrame + " must be at least 1");
        }
        int skew = f.group(3) == null ? 0 : parseInt(f.group(3), "skew", where);
        long byteOffset = f.group(4) == null ? 0 : parseLong(f.group(4), "byte offset", where);

        double gain = 0;
        Integer baseline = null;
        String units = "mV";
        if (t.size() > 2) {
            Matcher g = GAIN_SPEC.matcher(t.get(2));
            if (!g.matches()) {
                throw new WfdbFormatException(where + "gain '" + t.get(2) + "' is not a gain specification");
            }
            gain = parseDouble(g.group(1), "gain", where);
            if (g.group(2) != null) {
                baseline = parseInt(g.group(2), "baseline", where);
            }
            if (g.group(3) != null) {
                if (g.group(3).isEmpty()) {
                    throw new WfdbFormatException(where + "gain '" + t.get(2) + "' has an empty unit after '/'");
                }
                units = g.group(3);
            }
        }
        int adcResolution = t.size() > 3 ? parseInt(t.get(3), "ADC resolution", where)
                : WfdbSignalSpec.defaultAdcResolution(format);
        int adcZero = t.size() > 4 ? parseInt(t.get(4), "ADC zero", where) : 0;
        int initialValue = t.size() > 5 ? parseInt(t.get(5), "initial value", where) : adcZero;
        boolean checksumPresent = t.size() > 6;
        int checksum = checksumPresent ? parseInt(t.get(6), "checksum", where) : 0;
        int blockSize = t.size() > 7 ? parseInt(t.get(7), "block size", where) : 0;
        return new WfdbSignalSpec(fileName, format, samplesPerFrame, skew, byteOffset, gain,
                baseline == null ? adcZero : baseline, units, adcResolution, adcZero, initialValue, checksum,
                checksumPresent, blockSize, description);
    }

    /** This header as WFDB header text (record line, signal lines, then comments), ending with a newline. */
    public String toHeaderText() {
        StringBuilder sb = new StringBuilder();
        sb.append(recordName).append(' ').append(signalCount).append(' ')
                .append(WfdbSignalSpec.plainNumber(samplingFrequency));
        if (counterFrequency != samplingFrequency || baseCounter != 0) {
            sb.append('/').append(WfdbSignalSpec.plainNumber(counterFrequency));
            if (baseCounter != 0) {
                sb.append('(').append(WfdbSignalSpec.plainNumber(baseCounter)).append(')');
            }
        }
        if (sampleCount > 0 || baseTime != null) {
            sb.append(' ').append(sampleCount);
        }
        if (baseTime != null) {
            sb.append(' ').append(baseTime);
            if (baseDate != null) {
                sb.append(' ').append(baseDate);
            }
        }
        sb.append('\n');
        for (WfdbSignalSpec s : signals) {
            sb.append(s.toHeaderLine()).append('\n');
        }
        for (String c : comments) {
            sb.append("# ").append(c).append('\n');
        }
        return sb.toString();
    }

    private static int parseInt(String s, String field, String where) throws WfdbFormatException {
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            throw new WfdbFormatException(where + field + " '" + s + "' is not an integer", e);
        }
    }

    private static long parseLong(String s, String field, String where) throws WfdbFormatException {
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw new WfdbFormatException(where + field + " '" + s + "' is not an integer", e);
        }
    }

    private static double parseDouble(String s, String field, String where) throws WfdbFormatException {
        if (!DECIMAL.matcher(s).matches()) {
            throw new WfdbFormatException(where + field + " '" + s + "' is not a number");
        }
        return Double.parseDouble(s);
    }
}
