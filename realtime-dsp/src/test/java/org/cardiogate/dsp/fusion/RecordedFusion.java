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
import org.cardiogate.signal.Channel;
import org.cardiogate.signal.Modality;
import org.cardiogate.signal.SampleBlock;
import org.cardiogate.signal.StreamDescriptor;

/** The evaluations on the reference recordings, shared by the tests and {@link FusionReport}. */
final class RecordedFusion {
    private RecordedFusion() {
    }

    record PpgScore(int rPeaks, int tp, int fp, int fn, double f1, double patMedianMs, double patQ1Ms, double patQ3Ms) {
    }

    /**
     * BIDMC: R peaks by {@link EcgProcessor} on lead II, pulses by {@link PpgProcessor} on PLETH; a true positive is an R
     * peak followed by exactly one pulse foot in R + patMin..patMax, extra feet there and feet in no window are false
     * positives, R peaks without a foot false negatives (R peaks of the first and last 10 s are left out).
     */
    static PpgScore bidmc(Path csv, double patMin, double patMax) throws IOException {
        TimedSignals s = SignalCsv.readUniform(csv, 125);
        double[] ecg = s.column("II");
        double[] pleth = s.column("PLETH");
        StreamDescriptor ecgS = new StreamDescriptor("ecg", "bidmc", Modality.ECG, List.of(new Channel("II", "mV")), 125);
        StreamDescriptor ppgS = new StreamDescriptor("ppg", "bidmc", Modality.PPG, List.of(new Channel("PLETH", "au")), 125);
        List<Long> rs = new ArrayList<>();
        List<Long> feet = new ArrayList<>();
        EcgProcessor ep = new EcgProcessor(ecgS, 0, new EcgBeatListener() {
            @Override
            public void onBeat(long sample, long t, double rr, double hr, double amp) {
                rs.add(t);
            }
        });
        PpgProcessor pp = new PpgProcessor(ppgS, 0, -1, PpgConfig.defaults(), p -> feet.add(p.footNanos()));
        feed(ep::process, ecgS, ecg);
        feed(pp::process, ppgS, pleth);
        ep.finish();
        pp.finish();
        long lo = 10_000_000_000L;
        long hi = Math.round((ecg.length / 125.0 - 10) * 1e9);
        int tp = 0;
        int fp = 0;
        int fn = 0;
        int n = 0;
        List<Double> pat = new ArrayList<>();
        boolean[] used = new boolean[feet.size()];
        for (long r : rs) {
            if (r < lo || r > hi) {
                continue;
            }
            n++;
            int in = 0;
            for (int k = 0; k < feet.size(); k++) {
                long d = feet.get(k) - r;
                if (d >= patMin * 1e9 && d <= patMax * 1e9) {
                    if (in == 0) {
                        pat.add(d / 1e6);
                    }
                    in++;
                    used[k] = true;
                }
            }
            if (in == 0) {
                fn++;
            } else {
                tp++;
                fp += in - 1;
            }
        }
        for (int k = 0; k < feet.size(); k++) {
            long f = feet.get(k);
            if (!used[k] && f - (long) (patMin * 1e9) >= lo && f - (long) (patMax * 1e9) <= hi) {
                fp++;
            }
        }
        double f1 = 2.0 * tp / (2.0 * tp + fp + fn);
        return new PpgScore(n, tp, fp, fn, 100 * f1, q(pat, 0.5), q(pat, 0.25), q(pat, 0.75));
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
