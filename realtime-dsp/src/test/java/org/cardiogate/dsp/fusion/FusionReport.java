package org.cardiogate.dsp.fusion;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * Prints the fusion figures: BIDMC PPG pulse detection against ECG beats, SensSmartTech PEP/LVET/PAT per record,
 * and the simulator's errors clean and with noise. Not a test: after {@code test-compile}, from {@code realtime-dsp/}:
 * {@code java -cp <target>/classes:<target>/test-classes:<dependency jars> org.cardiogate.dsp.fusion.FusionReport
 * ../../shared/data [svg-file]}; with an SVG path it also draws one SensSmartTech beat with its fiducials.
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
        for (String rec : List.of("10_18-12-33", "11_18-48-54")) {
            List<FusedBeat> beats = RecordedFusion.senssmarttech(data.resolve("senssmarttech/CSV"), rec);
            long withR = beats.stream().filter(x -> x.rNanos() != FusedBeat.NONE).count();
            long withAo = beats.stream().filter(x -> x.rNanos() != FusedBeat.NONE && x.aoNanos() != FusedBeat.NONE).count();
            System.out.printf(Locale.ROOT, "senssmarttech %s: %d ECG beats, AO in %d; %s; %s; %s%n", rec, withR, withAo,
                    spread("PEP", beats, FusedBeat::pepMs), spread("LVET", beats, FusedBeat::lvetMs),
                    spread("PAT", beats, FusedBeat::patMs));
            if (args.length > 1 && rec.startsWith("10")) {
                FusedBeatSvg.write(data.resolve("senssmarttech/CSV"), rec, beats, Path.of(args[1]));
                System.out.println("wrote " + args[1]);
            }
        }
        for (boolean noisy : new boolean[] {false, true}) {
            var config = org.cardiogate.sensor.sim.SimulatorConfig.defaults();
            if (noisy) {
                config = config.withMechanicalNoise(60, 3).withEcgNoise(0.2, 0.05, 0.05);
            }
            SimulatedFusion f = new SimulatedFusion(config);
            f.run(300, true);
            f.engine.finish();
            SimulatedFusion.Scores s = f.score();
            System.out.printf(Locale.ROOT, "simulator %s (300 s): AO median |err| %.2f ms (p95 %.2f), AC %.2f (p95 %.2f),"
                    + " PPG foot %.2f (p95 %.2f); AO Se %.2f %% +P %.2f %% (%d of %d)%n", noisy ? "noisy" : "clean",
                    s.aoMedianMs(), s.aoP95Ms(), s.acMedianMs(), s.acP95Ms(), s.footMedianMs(), s.footP95Ms(), s.aoSe(),
                    s.aoPp(), s.aoFound(), s.expected());
        }
    }

    static String spread(String name, List<FusedBeat> beats, ToDoubleFunction<FusedBeat> f) {
        List<Double> v = beats.stream().map(f::applyAsDouble).filter(d -> !Double.isNaN(d)).toList();
        return String.format(Locale.ROOT, "%s n=%d median %.1f ms IQR %.1f-%.1f", name, v.size(), RecordedFusion.q(v, 0.5),
                RecordedFusion.q(v, 0.25), RecordedFusion.q(v, 0.75));
    }
}
