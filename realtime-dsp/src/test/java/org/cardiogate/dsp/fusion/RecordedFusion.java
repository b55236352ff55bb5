package org.cardiogate.dsp.fusion;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.cardiogate.dsp.EcgBeatListener;
import org.cardiogate.dsp.EcgProcessor;
import org.cardiogate.dsp.fusion.io.FusionAnalyzer;
import org.cardiogate.dsp.fusion.io.SignalCsv;
import org.cardiogate.dsp.fusion.io.TimedSignals;
import org.cardiogate.dsp.ppg.PpgConfig;
import org.cardiogate.dsp.ppg.PpgProcessor;
import org.cardiogate.dsp.ppg.PpgPulse;
import org.cardiogate.dsp.ppg.PulseListener;
import org.cardiogate.dsp.quality.QualityClass;
import org.cardiogate.signal.Channel;
import org.cardiogate.signal.Modality;
import org.cardiogate.signal.SampleBlock;
import org.cardiogate.signal.StreamDescriptor;

/** The evaluations on the reference recordings, shared by the tests and {@link FusionReport}. */
final class RecordedFusion {
    private RecordedFusion() {
    }

    /**
     * Pulse detection against ECG beats.
     *
     * @param rPeaks   R peaks scored
     * @param f1       2 TP / (2 TP + FP + FN), percent
     * @param clean    the same score leaving out the beats whose PAT window touches an artefact stretch the PPG
     *                 processor reported, and the feet inside such stretches; null for the clean score itself
     * @param flaggedSeconds total length of the artefact stretches in the scored range, s
     * @param misses   one line per R peak without exactly one foot and per foot of no R peak, for the report
     */
    record PpgScore(int rPeaks, int tp, int fp, int fn, double f1, double patMedianMs, double patQ1Ms, double patQ3Ms,
                    PpgScore clean, double flaggedSeconds, List<String> misses) {
        @Override
        public String toString() {
            return String.format(java.util.Locale.ROOT, "R %d, TP %d, FP %d, FN %d, F1 %.2f %%, PAT median %.1f ms"
                    + " (IQR %.1f-%.1f)%s", rPeaks, tp, fp, fn, f1, patMedianMs, patQ1Ms, patQ3Ms, clean == null ? ""
                    : String.format(java.util.Locale.ROOT, "; outside %.1f s of PPG artefact: %s", flaggedSeconds, clean));
        }
    }

    /** One R peak as the ECG processor reported it. */
    private record Beat(long nanos, double rr, double amplitude, String quality) {
    }

    /** One reported pulse. */
    private record Pulse(long foot, double quality, int flags) {
    }

    /**
     * BIDMC: R peaks by {@link EcgProcessor} on lead II, pulses by {@link PpgProcessor} on PLETH; a true positive is an R
     * peak followed by exactly one pulse foot in R + patMin..patMax, extra feet there and feet in no window (of an R
     * peak in the scored range) are false positives, R peaks without a foot false negatives (R peaks of the first and
     * last 10 s are left out).
     */
    static PpgScore bidmc(Path csv, double patMin, double patMax) throws IOException {
        TimedSignals s = SignalCsv.readUniform(csv, 125);
        double[] ecg = s.column("II");
        double[] pleth = s.column("PLETH");
        StreamDescriptor ecgS = new StreamDescriptor("ecg", "bidmc", Modality.ECG, List.of(new Channel("II", "mV")), 125);
        StreamDescriptor ppgS = new StreamDescriptor("ppg", "bidmc", Modality.PPG, List.of(new Channel("PLETH", "au")), 125);
        List<Beat> rs = new ArrayList<>();
        List<Pulse> feet = new ArrayList<>();
        List<long[]> artefacts = new ArrayList<>();
        EcgProcessor ep = new EcgProcessor(ecgS, 0, new EcgBeatListener() {
            @Override
            public void onBeat(long sample, long t, double rr, double hr, double amp) {
            }

            @Override
            public void onBeat(long sample, long t, double rr, double hr, double amp, QualityClass quality) {
                rs.add(new Beat(t, rr, amp, quality.name()));
            }
        });
        PpgProcessor pp = new PpgProcessor(ppgS, 0, -1, PpgConfig.defaults(), new PulseListener() {
            @Override
            public void onPulse(PpgPulse p) {
                feet.add(new Pulse(p.footNanos(), p.quality(), p.flags()));
            }

            @Override
            public void onArtefact(long startNanos, long endNanos, int flags) {
                artefacts.add(new long[] {startNanos, endNanos, flags});
            }
        });
        feed(ep::process, ecgS, ecg);
        feed(pp::process, ppgS, pleth);
        ep.finish();
        pp.finish();
        long lo = 10_000_000_000L;
        long hi = Math.round((ecg.length / 125.0 - 10) * 1e9);
        double flagged = 0;
        for (long[] a : artefacts) {
            flagged += Math.max(0, Math.min(hi, a[1]) - Math.max(lo, a[0])) / 1e9;
        }
        PpgScore clean = score(rs, feet, artefacts, patMin, patMax, lo, hi, true, null, 0);
        return score(rs, feet, artefacts, patMin, patMax, lo, hi, false, clean, flagged);
    }

    private static boolean inArtefact(List<long[]> artefacts, long from, long to) {
        for (long[] a : artefacts) {
            if (from <= a[1] && to >= a[0]) {
                return true;
            }
        }
        return false;
    }

    private static PpgScore score(List<Beat> rs, List<Pulse> feet, List<long[]> artefacts, double patMin,
                                  double patMax, long lo, long hi, boolean outsideArtefacts, PpgScore clean,
                                  double flagged) {
        long pMin = (long) (patMin * 1e9);
        long pMax = (long) (patMax * 1e9);
        int tp = 0;
        int fp = 0;
        int fn = 0;
        int n = 0;
        List<Double> pat = new ArrayList<>();
        List<String> misses = new ArrayList<>();
        boolean[] used = new boolean[feet.size()];
        for (Beat b : rs) {
            long r = b.nanos();
            if (r < lo || r > hi) {
                continue;
            }
            if (outsideArtefacts && inArtefact(artefacts, r + pMin, r + pMax)) {
                // left out with the feet it could own
                for (int k = 0; k < feet.size(); k++) {
                    long d = feet.get(k).foot() - r;
                    used[k] |= d >= pMin && d <= pMax;
                }
                continue;
            }
            n++;
            int in = 0;
            StringBuilder near = new StringBuilder();
            for (int k = 0; k < feet.size(); k++) {
                long d = feet.get(k).foot() - r;
                if (d >= pMin && d <= pMax) {
                    if (in == 0) {
                        pat.add(d / 1e6);
                    }
                    in++;
                    used[k] = true;
                }
                if (d > -pMax && d < 2 * pMax) {
                    near.append(String.format(java.util.Locale.ROOT, " %+.0f ms (q %.2f%s)", d / 1e6,
                            feet.get(k).quality(), feet.get(k).flags() == 0 ? "" : ", flags " + feet.get(k).flags()));
                }
            }
            if (in == 0) {
                fn++;
            } else {
                tp++;
                fp += in - 1;
            }
            if (in != 1) {
                misses.add(String.format(java.util.Locale.ROOT, "R %.3f s (RR %.3f s, R amplitude %+.2f mV, ECG %s, %s):"
                        + " %d feet in the PAT window; feet near:%s", r / 1e9, b.rr(), b.amplitude(), b.quality(),
                        inArtefact(artefacts, r + pMin, r + pMax) ? "in a PPG artefact stretch" : "PPG clean", in,
                        near));
            }
        }
        for (int k = 0; k < feet.size(); k++) {
            long f = feet.get(k).foot();
            // a foot counts only if every R that could own it lies in the scored range
            if (!used[k] && f - pMax >= lo && f - pMin <= hi
                    && !(outsideArtefacts && inArtefact(artefacts, f, f))) {
                fp++;
                misses.add(String.format(java.util.Locale.ROOT, "foot %.3f s (q %.2f, flags %d) in no R's PAT window%s",
                        f / 1e9, feet.get(k).quality(), feet.get(k).flags(),
                        inArtefact(artefacts, f, f) ? ", in a PPG artefact stretch" : ""));
            }
        }
        double f1 = 2.0 * tp / (2.0 * tp + fp + fn);
        return new PpgScore(n, tp, fp, fn, 100 * f1, q(pat, 0.5), q(pat, 0.25), q(pat, 0.75), clean, flagged,
                List.copyOf(misses));
    }

    interface BlockSink {
        void accept(SampleBlock b);
    }

    private static void feed(BlockSink sink, StreamDescriptor s, double[] x) {
        SampleBlock b = new SampleBlock(s, 25);
        double period = 1e9 / s.nominalRateHz();
        for (int i = 0; i < x.length; i += 25) {
            int len = Math.min(25, x.length - i);
            b.begin(i, Math.round(i * period));
            System.arraycopy(x, i, b.channel(0), 0, len);
            b.setLength(len);
            sink.accept(b);
        }
    }

    /** SensSmartTech record through {@link FusionAnalyzer}. */
    static List<FusedBeat> senssmarttech(Path csvDir, String record) throws IOException {
        FusionAnalyzer.Input[] in = FusionAnalyzer.senssmarttech(csvDir, record);
        return FusionAnalyzer.analyze(in[0], in[1], in[2], FusionConfig.defaults());
    }

    static double q(List<Double> v, double q) {
        double[] s = v.stream().filter(d -> !Double.isNaN(d)).mapToDouble(Double::doubleValue).toArray();
        if (s.length == 0) {
            return Double.NaN;
        }
        Arrays.sort(s);
        double pos = q * (s.length - 1);
        int i = (int) Math.floor(pos);
        return i + 1 < s.length ? s[i] + (pos - i) * (s[i + 1] - s[i]) : s[i];
    }
}
