package org.cardiogate.gateway.analysis;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.cardiogate.signal.Channel;
import org.cardiogate.signal.Modality;
import org.cardiogate.signal.StreamDescriptor;
import org.cardiogate.signal.edf.EdfFile;
import org.cardiogate.signal.edf.EdfReader;
import org.cardiogate.signal.edf.EdfSignalSpec;

/**
 * The ECG of an EDF or EDF+ file, ready for {@code RecordAnalyzer}: the first signal whose label names an ECG
 * ({@code ECG}, {@code EKG}) or a lead ({@code I II III aVR aVL aVF V1..V6 MLI MLII MLIII}), else signal 0, converted
 * to millivolts from its physical dimension ({@code uV}/{@code µV}, {@code mV}, {@code V}; an empty dimension is taken
 * as millivolts).
 *
 * @param file        the file read
 * @param name        the signal's label, trimmed (e.g. {@code "MLII"} or {@code "ECG I"})
 * @param signalIndex its index among the file's sampled signals
 * @param rateHz      its sampling frequency in Hz
 * @param millivolts  its samples in mV
 */
public record EdfInput(Path file, String name, int signalIndex, double rateHz, double[] millivolts) {
    private static final Set<String> LEADS = Set.of("I", "II", "III", "AVR", "AVL", "AVF", "V1", "V2", "V3", "V4",
            "V5", "V6", "MLI", "MLII", "MLIII", "ML2", "MV1", "MV2", "MV3", "MV4", "MV5", "MV6");

    /**
     * Reads the file and converts its ECG signal.
     *
     * @throws IOException              when the file cannot be read or is not EDF
     * @throws IllegalArgumentException when the file has no sampled signal or the chosen signal's dimension is not a
     *                                  voltage
     */
    public static EdfInput read(Path file) throws IOException {
        EdfFile edf = EdfReader.read(file);
        if (edf.signalCount() == 0) {
            throw new IllegalArgumentException(file + ": the EDF file has no sampled signals (only annotations)");
        }
        int index = ecgSignal(edf.signals());
        EdfSignalSpec spec = edf.signal(index);
        double toMv = millivoltsPer(spec.physicalDimension());
        if (Double.isNaN(toMv)) {
            throw new IllegalArgumentException(file + ": signal " + index + " ('" + spec.label().trim()
                    + "') has physical dimension '" + spec.physicalDimension() + "', not uV, mV or V; it is not an ECG"
                    + " this gateway can analyse");
        }
        double[] x = edf.physical(index);
        if (toMv != 1.0) {
            for (int i = 0; i < x.length; i++) {
                x[i] *= toMv;
            }
        }
        return new EdfInput(file, spec.label().trim(), index, edf.samplingFrequency(index), x);
    }

    /** Index of the first ECG-looking signal by label, or 0. */
    static int ecgSignal(List<EdfSignalSpec> signals) {
        for (int i = 0; i < signals.size(); i++) {
            if (looksLikeEcg(signals.get(i).label())) {
                return i;
            }
        }
        return 0;
    }

    static boolean looksLikeEcg(String label) {
        String u = label.trim().toUpperCase(Locale.ROOT);
        if (u.contains("ECG") || u.contains("EKG")) {
            return true;
        }
        for (String token : u.split("[\\s:_/-]+")) {
            if (LEADS.contains(token)) {
                return true;
            }
        }
        return false;
    }

    /** Millivolts per unit of the dimension, or NaN when it is not a voltage. */
    static double millivoltsPer(String dimension) {
        return switch (dimension.trim()) {
            case "", "mV", "MV", "mv" -> 1.0;
            case "uV", "µV", "μV", "UV", "uv" -> 1e-3;
            case "V", "v" -> 1e3;
            case "nV" -> 1e-6;
            default -> Double.NaN;
        };
    }

    /** Number of samples. */
    public int length() {
        return millivolts.length;
    }

    /** Whether a path names an EDF file ({@code .edf}, any case), as opposed to a WFDB record or CSV. */
    public static boolean isEdf(Path path) {
        return path.getFileName() != null && path.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".edf");
    }

    /** The file name without {@code .edf}, for output file names. */
    public String recordName() {
        String n = file.getFileName().toString();
        return isEdf(file) ? n.substring(0, n.length() - 4) : n;
    }

    /** The ECG stream this signal stands for: id {@code ecg}, sensor {@code edf:<file>}, one channel in mV. */
    public StreamDescriptor stream() {
        return new StreamDescriptor("ecg", "edf:" + file.getFileName(), Modality.ECG,
                List.of(new Channel(name.isBlank() ? "ECG" : name, "mV")), rateHz);
    }
}
