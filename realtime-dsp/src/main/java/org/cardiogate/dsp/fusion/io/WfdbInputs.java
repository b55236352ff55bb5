package org.cardiogate.dsp.fusion.io;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.cardiogate.signal.wfdb.WfdbRecord;
import org.cardiogate.signal.wfdb.WfdbSignalSpec;

/**
 * The fusion inputs of WFDB records, each signal recognised by its description in the header (the names PhysioNet
 * databases use), so a record written by any tool is read without naming columns:
 * <ul>
 * <li>ECG: a limb or chest lead ({@code II}, {@code MLII}, {@code I}, {@code III}, {@code aVR}, {@code V}, {@code V1}..
 * {@code V6}, ...) or a description containing {@code ECG}/{@code EKG}; lead II (or MLII) is preferred, the lead the
 * pulse timing literature uses. Physical units mV, uV or V.</li>
 * <li>PPG: a description containing {@code PLETH} or {@code PPG}, or naming a wavelength ({@code carotid_880nm});
 * infrared (a description with {@code IR} or 780-1000 nm) first, and the red channel of the same site (with
 * {@code RED} or 600-700 nm) for SpO2 when there is one. Any unit (the pulse's scale does not matter).</li>
 * <li>SCG: a description containing {@code SCG}, or the z axis of an accelerometer ({@code az}, {@code ACC Z},
 * {@code accel_z}, ...), the chest's dorso-ventral axis. Units g, mg or m/s^2, read as mg.</li>
 * </ul>
 * Descriptions are compared without case and without trailing punctuation (PhysioNet's BIDMC headers write
 * {@code II,} and {@code PLETH,}). Several records may be given, e.g. one per sensor as SensSmartTech stores them; each
 * keeps its own rate, and all start at time 0. Errors name the record and the descriptions found.
 */
public final class WfdbInputs {
    private static final Set<String> LEADS = Set.of("I", "II", "III", "MLI", "MLII", "MLIII", "AVR", "AVL", "AVF",
            "V", "V1", "V2", "V3", "V4", "V5", "V6", "MV1", "MV2", "MV3", "MV4", "MV5", "MV6", "ML5", "D3", "D4");
    private static final Pattern WAVELENGTH = Pattern.compile("(\\d{3,4})\\s*NM");
    private static final Pattern SCG = Pattern.compile("SCG.*|.*\\bACC(EL(EROMETER)?)?[ _-]?Z\\b.*|AZ");

    private WfdbInputs() {
    }

    /** One signal of one record. */
    private record Candidate(WfdbRecord record, int signal, String name) {
        WfdbSignalSpec spec() {
            return record.signal(signal);
        }
    }

    /**
     * Whether a record's header names a PPG or an SCG signal besides its ECG (reads only the {@code .hea} file), i.e.
     * whether {@link #read} would find something to fuse.
     *
     * @param record record path without extension (or ending in {@code .hea})
     */
    public static boolean hasPpgOrScg(Path record) throws IOException {
        String name = record.getFileName().toString();
        Path hea = name.endsWith(".hea") ? record : record.resolveSibling(name + ".hea");
        org.cardiogate.signal.wfdb.WfdbHeader h = org.cardiogate.signal.wfdb.WfdbHeader.parse(hea);
        boolean ecg = false;
        boolean other = false;
        for (int s = 0; s < h.signalCount(); s++) {
            String n = normalise(h.signal(s).description());
            if (LEADS.contains(n) || n.contains("ECG") || n.contains("EKG")) {
                ecg = true;
            } else if (n.contains("PLETH") || n.contains("PPG") || WAVELENGTH.matcher(n).find() || SCG.matcher(n).matches()) {
                other = true;
            }
        }
        return ecg && other;
    }

    /**
     * Reads the records and picks the ECG, PPG and SCG signals.
     *
     * @param records record paths without extension (or ending in {@code .hea})
     * @return {ECG, PPG, SCG}; the PPG or the SCG is null when no signal is recognised as one
     * @throws IllegalArgumentException when there is no ECG signal, or neither a PPG nor an SCG signal
     */
    public static FusionAnalyzer.Input[] read(Path... records) throws IOException {
        if (records.length == 0) {
            throw new IllegalArgumentException("no WFDB record given");
        }
        List<Candidate> ecg = new ArrayList<>();
        List<Candidate> ppg = new ArrayList<>();
        List<Candidate> scg = new ArrayList<>();
        List<String> seen = new ArrayList<>();
        for (Path p : records) {
            WfdbRecord r = WfdbRecord.read(p);
            for (int s = 0; s < r.signalCount(); s++) {
                String d = r.signal(s).description();
                String n = normalise(d);
                seen.add(r.name() + ":" + d);
                Candidate c = new Candidate(r, s, d);
                if (LEADS.contains(n) || n.contains("ECG") || n.contains("EKG")) {
                    ecg.add(c);
                } else if (n.contains("PLETH") || n.contains("PPG") || WAVELENGTH.matcher(n).find()) {
                    ppg.add(c);
                } else if (SCG.matcher(n).matches()) {
                    scg.add(c);
                }
            }
        }
        if (ecg.isEmpty()) {
            throw new IllegalArgumentException("WFDB " + names(records) + ": no ECG signal among " + seen
                    + " (expected a lead name such as II or MLII, or ECG in the description)");
        }
        if (ppg.isEmpty() && scg.isEmpty()) {
            throw new IllegalArgumentException("WFDB " + names(records) + ": no PPG (PLETH, PPG, ...nm) or SCG (SCG, az,"
                    + " ACC Z) signal among " + seen);
        }
        Candidate e = ecg.get(0);
        for (Candidate c : ecg) {
            String n = normalise(c.name());
            if (n.equals("II") || n.equals("MLII")) {
                e = c;
                break;
            }
        }
        FusionAnalyzer.Input ecgIn = input(List.of(e), ecgScale(e));
        FusionAnalyzer.Input ppgIn = ppg.isEmpty() ? null : input(ppgChannels(ppg), 1);
        FusionAnalyzer.Input scgIn = scg.isEmpty() ? null : input(List.of(scg.get(0)), scgScale(scg.get(0)));
        return new FusionAnalyzer.Input[] {ecgIn, ppgIn, scgIn};
    }

    /** Upper case, trailing punctuation and blanks removed. */
    /**
     * Whether a WFDB signal description names an ECG lead: a lead name (I, II, MLII, V1, aVR, ...; punctuation at the
     * end ignored, case ignored) or a description containing ECG or EKG.
     */
    public static boolean isEcgDescription(String description) {
        if (description == null || description.isBlank()) {
            return false;
        }
        String n = normalise(description);
        return LEADS.contains(n) || LEAD_NAME.matcher(n).matches() || n.contains("ECG") || n.contains("EKG");
    }

    /** Limb, chest and Holter lead names: II, aVF, V1, V1-V2, MLII, ML5, CM5, CC5, MV1, D3, mod.V1. */
    private static final Pattern LEAD_NAME = Pattern.compile(
            "(ML|MV|CM|CC|MOD\\.?)?(I|II|III|AVR|AVL|AVF|V\\d?(-V\\d)?|D\\d|\\d)");

    static String normalise(String description) {
        return description.strip().replaceAll("[\\p{Punct}\\s]+$", "").toUpperCase(Locale.ROOT);
    }

    /** The infrared channel first (or the first PPG), then the red one of the same site if there is one. */
    private static List<Candidate> ppgChannels(List<Candidate> ppg) {
        Candidate ir = null;
        for (Candidate c : ppg) {
            if (isInfrared(normalise(c.name()))) {
                ir = c;
                break;
            }
        }
        if (ir == null) {
            return List.of(ppg.get(0));
        }
        String site = site(normalise(ir.name()));
        for (Candidate c : ppg) {
            String n = normalise(c.name());
            if (c != ir && c.record() == ir.record() && isRed(n) && site(n).equals(site)) {
                return List.of(ir, c);
            }
        }
        return List.of(ir);
    }

    private static boolean isInfrared(String n) {
        int nm = wavelength(n);
        return n.matches(".*\\bIR\\b.*") || n.contains("INFRARED") || nm >= 780 && nm <= 1000;
    }

    private static boolean isRed(String n) {
        int nm = wavelength(n);
        return n.contains("RED") || nm >= 600 && nm <= 700;
    }

    private static int wavelength(String n) {
        Matcher m = WAVELENGTH.matcher(n);
        return m.find() ? Integer.parseInt(m.group(1)) : -1;
    }

    /** The description without its wavelength or colour, e.g. {@code CAROTID} of {@code CAROTID_880NM}. */
    private static String site(String n) {
        return WAVELENGTH.matcher(n).replaceAll("").replaceAll("\\b(IR|INFRARED|RED)\\b", "")
                .replaceAll("[\\p{Punct}\\s]+", " ").strip();
    }

    private static double ecgScale(Candidate c) {
        String u = c.spec().units().strip();
        return switch (u) {
            case "mV" -> 1;
            case "uV", "µV" -> 1e-3;
            case "V" -> 1e3;
            default -> throw new IllegalArgumentException("WFDB " + c.record().name() + ": ECG signal '" + c.name()
                    + "' has units '" + u + "'; expected mV, uV or V");
        };
    }

    private static double scgScale(Candidate c) {
        String u = c.spec().units().strip();
        return switch (u) {
            case "g" -> 1000;
            case "mg" -> 1;
            case "m/s^2", "m/s2", "m/s/s" -> 1000 / 9.80665;
            default -> throw new IllegalArgumentException("WFDB " + c.record().name() + ": SCG signal '" + c.name()
                    + "' has units '" + u + "'; expected g, mg or m/s^2");
        };
    }

    /** The chosen signals (all of one record) as an input, columns named by their descriptions. */
    private static FusionAnalyzer.Input input(List<Candidate> chosen, double scale) {
        WfdbRecord r = chosen.get(0).record();
        List<String> names = new ArrayList<>();
        double[][] data = new double[chosen.size()][];
        for (int k = 0; k < chosen.size(); k++) {
            Candidate c = chosen.get(k);
            String name = c.name().strip();
            names.add(name.isEmpty() || names.contains(name) ? "signal " + c.signal() : name);
            data[k] = r.physical(c.signal());
        }
        TimedSignals t = new TimedSignals(r.name(), names, r.samplingFrequency(), 0, data);
        return new FusionAnalyzer.Input(t, names, scale);
    }

    private static String names(Path[] records) {
        List<String> n = new ArrayList<>();
        for (Path p : records) {
            n.add(p.toString());
        }
        return String.join(", ", n);
    }
}
