package org.cardiogate.dsp.fusion.io;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.cardiogate.dsp.fusion.FusedBeat;

/**
 * Writes the fused beat table: one row per beat, columns {@value #HEADER}; times in seconds on the recording's
 * axis, intervals in ms, empty fields for what was not found. Columns are only ever appended (the ECG intervals
 * {@code pr_ms, qrs_ms, qt_ms} came last), so readers that take columns by position keep working.
 */
public final class FusedBeatCsv {
    public static final String HEADER = "r_sample,r_time_s,ao_s,ac_s,ppg_foot_s,ppg_peak_s,pep_ms,lvet_ms,pat_ms,"
            + "q_ecg,q_scg,q_ppg,hr_bpm,hr_source,pr_ms,qrs_ms,qt_ms";

    private FusedBeatCsv() {
    }

    public static void write(Path file, List<FusedBeat> beats) throws IOException {
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            write(w, beats);
        }
    }

    public static void write(Writer w, List<FusedBeat> beats) throws IOException {
        w.write(HEADER);
        w.write('\n');
        StringBuilder sb = new StringBuilder();
        for (FusedBeat b : beats) {
            sb.setLength(0);
            sb.append(b.rSample() < 0 ? "" : Long.toString(b.rSample()));
            num(sb, FusedBeat.seconds(b.rNanos()), "%.4f");
            num(sb, FusedBeat.seconds(b.aoNanos()), "%.4f");
            num(sb, FusedBeat.seconds(b.acNanos()), "%.4f");
            num(sb, FusedBeat.seconds(b.ppgFootNanos()), "%.4f");
            num(sb, FusedBeat.seconds(b.ppgPeakNanos()), "%.4f");
            num(sb, b.pepMs(), "%.1f");
            num(sb, b.lvetMs(), "%.1f");
            num(sb, b.patMs(), "%.1f");
            num(sb, b.qualityEcg(), "%.2f");
            num(sb, b.qualityScg(), "%.2f");
            num(sb, b.qualityPpg(), "%.2f");
            num(sb, b.heartRateBpm(), "%.1f");
            sb.append(',').append(b.heartRateSource() == null ? "" : b.heartRateSource().label());
            num(sb, b.prMs(), "%.0f");
            num(sb, b.qrsMs(), "%.0f");
            num(sb, b.qtMs(), "%.0f");
            sb.append('\n');
            w.write(sb.toString());
        }
    }

    private static void num(StringBuilder sb, double v, String format) {
        sb.append(',');
        if (!Double.isNaN(v)) {
            sb.append(String.format(Locale.ROOT, format, v));
        }
    }
}
