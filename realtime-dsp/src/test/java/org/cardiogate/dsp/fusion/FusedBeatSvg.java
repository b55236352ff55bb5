package org.cardiogate.dsp.fusion;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.cardiogate.dsp.delineation.BeatDelineation;
import org.cardiogate.dsp.delineation.BeatDelineator;
import org.cardiogate.dsp.filter.EcgFilters;
import org.cardiogate.dsp.fusion.io.SignalCsv;
import org.cardiogate.dsp.fusion.io.TimedSignals;
import org.cardiogate.dsp.fusion.window.ZeroPhaseFilter;

/**
 * Draws one fused SensSmartTech beat (ECG, SCG, PPG, R - 0.2 s to R + 0.8 s) with its fiducials as an SVG file: R and
 * the ECG delineation's P onset, QRS onset and offset and T end; AO and AC; the PPG foot and systolic peak.
 */
final class FusedBeatSvg {
    private static final int W = 760;
    private static final int PANEL = 150;
    private static final int LEFT = 70;

    private FusedBeatSvg() {
    }

    static void write(Path csvDir, String record, List<FusedBeat> beats, Path out) throws IOException {
        FusedBeat beat = null;
        for (int i = beats.size() / 2; i < beats.size(); i++) {
            FusedBeat b = beats.get(i);
            if (b.rNanos() != FusedBeat.NONE && b.aoNanos() != FusedBeat.NONE && b.acNanos() != FusedBeat.NONE
                    && b.ppgFootNanos() != FusedBeat.NONE) {
                beat = b;
                break;
            }
        }
        if (beat == null) {
            throw new IllegalStateException(record + ": no beat with all fiducials");
        }
        TimedSignals ecg = SignalCsv.readTimestamped(csvDir.resolve(record + "_ecg.csv"), "t", 1e-3);
        BeatDelineation d = delineate(ecg, beats, beat.rSample());
        TimedSignals ppg = SignalCsv.readTimestamped(csvDir.resolve(record + "_ppg.csv"), "t", 1e-3);
        TimedSignals acc = SignalCsv.readTimestamped(csvDir.resolve(record + "_acc.csv"), "t", 1e-3);
        double t0 = beat.rNanos() / 1e9 - 0.2;
        double t1 = beat.rNanos() / 1e9 + 0.8;
        StringBuilder svg = new StringBuilder();
        int h = 3 * PANEL + 60;
        svg.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                + "font-family=\"sans-serif\" font-size=\"12\">%n<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>%n", W, h));
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"18\" font-size=\"14\">SensSmartTech %s: one beat, "
                + "PR %.0f, QRS %.0f, QT %.0f, PEP %.0f, LVET %.0f, PAT %.0f ms</text>%n", LEFT, record, beat.prMs(),
                beat.qrsMs(), beat.qtMs(), beat.pepMs(), beat.lvetMs(), beat.patMs()));
        panel(svg, 0, "ECG lead II (mV)", filtered(ecg, "lead_II", 1 / 6990.5, 0.5, 40), ecg, t0, t1, "#1f4e9c");
        panel(svg, 1, "SCG z (mg, 1-40 Hz)", filtered(acc, "az", 1000 / 327.68, 1, 40), acc, t0, t1, "#b5442c");
        panel(svg, 2, "PPG carotid 880 nm (au)", filtered(ppg, "carotid_880nm", 1, 0.5, 8), ppg, t0, t1, "#2c7d3a");
        marker(svg, beat.rNanos(), "R", 0, t0, t1);
        if (d != null) {
            ecgMarker(svg, ecg, d.pOnset(), "P on", 0, false, t0, t1);
            ecgMarker(svg, ecg, d.qrsOnset(), "QRS on", 0, true, t0, t1);
            ecgMarker(svg, ecg, d.qrsOffset(), "QRS off", 1, false, t0, t1);
            ecgMarker(svg, ecg, d.tOffset(), "T end", 0, false, t0, t1);
        }
        marker(svg, beat.aoNanos(), "AO", 1, t0, t1);
        marker(svg, beat.acNanos(), "AC", 1, t0, t1);
        marker(svg, beat.ppgFootNanos(), "foot", 2, t0, t1);
        marker(svg, beat.ppgPeakNanos(), "peak", 2, t0, t1);
        for (double t = 0; t <= 0.8001; t += 0.1) {
            double x = xOf(beat.rNanos() / 1e9 + t, t0, t1);
            svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%d</text>%n", x,
                    h - 12, Math.round(t * 1000)));
        }
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\">ms after R</text>%n", W - 110, h - 28));
        svg.append("</svg>\n");
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(out, svg.toString());
    }

    /** The delineation of the beat at {@code rSample}, from a delineator given every beat's R (null if none). */
    private static BeatDelineation delineate(TimedSignals ecg, List<FusedBeat> beats, long rSample) {
        BeatDelineation[] found = new BeatDelineation[1];
        BeatDelineator delineator = new BeatDelineator(ecg.rateHz(), b -> {
            if (b.rPeak() == rSample) {
                found[0] = new BeatDelineation();
                found[0].copyFrom(b);
            }
        });
        double[] lead = ecg.column("lead_II");
        int next = 0;
        for (int i = 0; i < lead.length; i++) {
            delineator.process(lead[i] / 6990.5);
            while (next < beats.size() && beats.get(next).rSample() <= i) {
                if (beats.get(next).rSample() >= 0) {
                    delineator.onBeat(beats.get(next).rSample());
                }
                next++;
            }
        }
        delineator.finish();
        return found[0];
    }

    /**
     * A thin mark on the ECG panel at an ECG sample number, its label in row {@code row} at the panel's foot, left of
     * the mark or right of it.
     */
    private static void ecgMarker(StringBuilder svg, TimedSignals ecg, long sample, String label, int row, boolean left,
                                  double t0, double t1) {
        if (sample == BeatDelineation.NONE) {
            return;
        }
        double x = xOf(ecg.startNanos() / 1e9 + sample / ecg.rateHz(), t0, t1);
        int top = 30 + 16;
        svg.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#555\" "
                + "stroke-width=\"1\"/>%n<text x=\"%.1f\" y=\"%d\" font-size=\"11\" text-anchor=\"%s\">%s</text>%n",
                x, top, x, top + PANEL - 26, left ? x - 2 : x + 2, top + PANEL - 30 - 12 * row, left ? "end" : "start",
                label));
    }

    private static double[] filtered(TimedSignals s, String col, double scale, double lo, double hi) {
        double[] x = s.column(col).clone();
        for (int i = 0; i < x.length; i++) {
            x[i] *= scale;
        }
        new ZeroPhaseFilter(EcgFilters.bandPass(s.rateHz(), lo, hi, 2)).apply(x, x, x.length);
        return x;
    }

    private static double xOf(double t, double t0, double t1) {
        return LEFT + (t - t0) / (t1 - t0) * (W - LEFT - 20);
    }

    private static void panel(StringBuilder svg, int p, String title, double[] x, TimedSignals s, double t0, double t1,
                              String colour) {
        int top = 30 + p * PANEL;
        int i0 = (int) Math.max(0, Math.floor((t0 - s.startNanos() / 1e9) * s.rateHz()));
        int i1 = (int) Math.min(x.length - 1, Math.ceil((t1 - s.startNanos() / 1e9) * s.rateHz()));
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (int i = i0; i <= i1; i++) {
            min = Math.min(min, x[i]);
            max = Math.max(max, x[i]);
        }
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\">%s</text>%n", LEFT, top + 12, title));
        svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" "
                + "stroke=\"#ccc\"/>%n", LEFT, top + 16, W - LEFT - 20, PANEL - 26));
        svg.append("<polyline fill=\"none\" stroke=\"").append(colour).append("\" stroke-width=\"1.5\" points=\"");
        for (int i = i0; i <= i1; i++) {
            double t = s.startNanos() / 1e9 + i / s.rateHz();
            double y = top + 20 + (max - x[i]) / (max - min) * (PANEL - 34);
            svg.append(String.format(Locale.ROOT, "%.1f,%.1f ", xOf(t, t0, t1), y));
        }
        svg.append("\"/>\n");
    }

    private static void marker(StringBuilder svg, long nanos, String label, int p, double t0, double t1) {
        double x = xOf(nanos / 1e9, t0, t1);
        int top = 30 + p * PANEL + 16;
        svg.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"30\" x2=\"%.1f\" y2=\"%d\" stroke=\"#888\" "
                + "stroke-dasharray=\"3,3\"/>%n", x, x, 30 + 3 * PANEL));
        svg.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"black\" "
                + "stroke-width=\"2\"/>%n<text x=\"%.1f\" y=\"%d\" font-weight=\"bold\">%s</text>%n", x, top, x,
                top + PANEL - 26, x + 3, top + 14, label));
    }
}
