package org.cardiogate.dsp.fusion;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * Prints the fusion figures: BIDMC PPG pulse detection against ECG beats (raw, and outside the stretches the PPG
 * processor flagged as artefact, with every miss explained), SensSmartTech per-beat PEP, LVET, PAT and the ECG's PR,
 * QRS, QT with their spread per record, and the simulator's errors clean, with white noise and with motion. Not a
 * test: after {@code test-compile}, from {@code realtime-dsp/}: {@code java -cp <target>/classes:<target>/test-classes:
 * <dependency jars> org.cardiogate.dsp.fusion.FusionReport ../../shared/data [svg-file [csv-dir]]}; with an SVG path
 * it also draws one SensSmartTech beat with its fiducials, with a CSV folder it writes each SensSmartTech record's
 * fused beat table there ({@code <record>.fused.csv}, the columns of {@link org.cardiogate.dsp.fusion.io.FusedBeatCsv}).
 */
public final class FusionReport {
    private FusionReport() {
    }

    public static void main(String[] args) throws Exception {
        Path data = Path.of(args.length > 0 ? args[0] : "../shared/data");
        double patMin = Double.parseDouble(System.getProperty("pat.min", "0.3"));
        double patMax = Double.parseDouble(System.getProperty("pat.max", "0.8"));
        RecordedFusion.PpgScore b = RecordedFusion.bidmc(data.resolve("bidmc/bidmc_01_Signals.csv"), patMin, patMax);
        System.out.printf(Locale.ROOT, "bidmc_01 PPG vs ECG (PAT window %.0f-%.0f ms): R %d, TP %d, FP %d, FN %d, F1 %.2f %%;"
                + " PAT median %.1f ms, IQR %.1f-%.1f ms%n", patMin * 1000, patMax * 1000, b.rPeaks(), b.tp(), b.fp(), b.fn(), b.f1(), b.patMedianMs(),
                b.patQ1Ms(), b.patQ3Ms());
        RecordedFusion.PpgScore c = b.clean();
        System.out.printf(Locale.ROOT, "bidmc_01 outside the %.1f s the PPG processor flagged as artefact: R %d, TP %d, FP %d,"
                + " FN %d, F1 %.2f %%%n", b.flaggedSeconds(), c.rPeaks(), c.tp(), c.fp(), c.fn(), c.f1());
        for (String m : b.misses()) {
            System.out.println("  " + m);
        }
        for (String rec : List.of("10_18-12-33", "11_18-48-54")) {
            List<FusedBeat> beats = RecordedFusion.senssmarttech(data.resolve("senssmarttech/CSV"), rec);
            long withR = beats.stream().filter(x -> x.rNanos() != FusedBeat.NONE).count();
            long withAo = beats.stream().filter(x -> x.rNanos() != FusedBeat.NONE && x.aoNanos() != FusedBeat.NONE).count();
            System.out.printf(Locale.ROOT, "senssmarttech %s: %d ECG beats, AO in %d%n  %s%n  %s%n  %s%n  %s%n  %s%n"
                    + "  %s%n", rec, withR, withAo, spread("PEP", beats, FusedBeat::pepMs),
                    spread("LVET", beats, FusedBeat::lvetMs), spread("PAT", beats, FusedBeat::patMs),
                    spread("PR", beats, FusedBeat::prMs), spread("QRS", beats, FusedBeat::qrsMs),
                    spread("QT", beats, FusedBeat::qtMs));
            if (args.length > 2) {
                Path csv = Path.of(args[2]).resolve(rec + ".fused.csv");
                java.nio.file.Files.createDirectories(csv.getParent());
                org.cardiogate.dsp.fusion.io.FusedBeatCsv.write(csv, beats);
                System.out.println("  wrote " + csv);
            }
            if (args.length > 1 && rec.startsWith("10")) {
                FusedBeatSvg.write(data.resolve("senssmarttech/CSV"), rec, beats, Path.of(args[1]));
                System.out.println("wrote " + args[1]);
            }
        }
        String[] conditions = {"clean", "white noise (ECG 0.2 mV wander, PPG 60 au = 3 %, SCG 3 mg)",
            "white noise + motion (8 s of every 30 s: PPG 1800 au = 1 pulse, SCG 25 mg = 1 AO)"};
        for (int k = 0; k < conditions.length; k++) {
            var config = org.cardiogate.sensor.sim.SimulatorConfig.defaults();
            if (k > 0) {
                config = config.withMechanicalNoise(60, 3).withEcgNoise(0.2, 0.05, 0.05);
            }
            SimulatedFusion f = new SimulatedFusion(config);
            if (k == 2) {
                f.motion(new SimulatedFusion.Motion(30, 8, 1800, 25, 7));
            }
            f.run(300, true);
            f.engine.finish();
            SimulatedFusion.Scores s = f.score();
            System.out.printf(Locale.ROOT, "simulator %s, 300 s: AO median |err| %.2f ms (p95 %.2f), AC %.2f (p95 %.2f),"
                    + " PPG foot %.2f (p95 %.2f); AO Se %.2f %% +P %.2f %% (%d of %d); PPG foot within 50 ms in %.2f %%"
                    + " of beats, %d feet further off (%d of them with pulse quality < 0.5, against %d of the others)%n",
                    conditions[k],
                    s.aoMedianMs(), s.aoP95Ms(), s.acMedianMs(), s.acP95Ms(), s.footMedianMs(), s.footP95Ms(), s.aoSe(),
                    s.aoPp(), s.aoFound(), s.expected(), s.footSe(), s.footWrong(), s.footWrongLowQuality(), s.footRightLowQuality());
        }
    }

    /** Median, IQR, SD and range of one interval over the beats that have it, then the per-beat series. */
    static String spread(String name, List<FusedBeat> beats, ToDoubleFunction<FusedBeat> f) {
        List<Double> v = beats.stream().map(f::applyAsDouble).filter(d -> !Double.isNaN(d)).toList();
        double mean = v.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
        double sd = Math.sqrt(v.stream().mapToDouble(d -> (d - mean) * (d - mean)).sum() / Math.max(1, v.size() - 1));
        StringBuilder series = new StringBuilder();
        for (FusedBeat b : beats) {
            double d = f.applyAsDouble(b);
            series.append(Double.isNaN(d) ? " -" : String.format(Locale.ROOT, " %.0f", d));
        }
        return String.format(Locale.ROOT, "%-4s n=%d median %.1f ms, IQR %.1f-%.1f, SD %.1f, range %.1f-%.1f; per beat:%s",
                name, v.size(), RecordedFusion.q(v, 0.5), RecordedFusion.q(v, 0.25), RecordedFusion.q(v, 0.75), sd,
                RecordedFusion.q(v, 0), RecordedFusion.q(v, 1), series);
    }
}
