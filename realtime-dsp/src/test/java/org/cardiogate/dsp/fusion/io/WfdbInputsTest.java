package org.cardiogate.dsp.fusion.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.cardiogate.dsp.fusion.FusedBeat;
import org.cardiogate.dsp.fusion.FusionConfig;
import org.cardiogate.signal.wfdb.WfdbWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WfdbInputsTest {

    private static Path data(String sub) {
        String shared = System.getProperty("cardiogate.shared");
        assumeTrue(shared != null, "system property cardiogate.shared is not set; reference recordings skipped");
        Path p = Path.of(shared, "data").resolve(sub);
        assumeTrue(Files.exists(p), p + " is absent; reference recordings skipped");
        return p;
    }

    /** Writes the columns as a format-16 record, each with the largest gain that fits. */
    private static void write(Path dir, String record, TimedSignals t, String[] columns, String[] descriptions,
                              String[] units) throws Exception {
        int n = columns.length;
        double[] gains = new double[n];
        int[][] digital = new int[n][];
        for (int c = 0; c < n; c++) {
            double[] x = t.column(columns[c]);
            double max = 0;
            for (double v : x) {
                max = Math.max(max, Math.abs(v));
            }
            gains[c] = max > 0 ? Math.floor(32000 / max) : 200;
            digital[c] = new int[x.length];
            for (int i = 0; i < x.length; i++) {
                digital[c][i] = (int) Math.round(x[i] * gains[c]);
            }
        }
        WfdbWriter.write(dir, record, t.rateHz(), descriptions, units, gains, new int[n], digital, 16);
    }

    @Test
    void aBidmcRecordWrittenAsWfdbGivesTheSameFusedBeatsAsItsCsv(@TempDir Path dir) throws Exception {
        TimedSignals csv = SignalCsv.readUniform(data("bidmc/bidmc_01_Signals.csv"), 125);
        // the descriptions as PhysioNet's bidmc01.hea writes them, trailing commas included
        write(dir, "bidmc01", csv, new String[] {"RESP", "PLETH", "V", "AVR", "II"},
                new String[] {"RESP,", "PLETH,", "V,", "AVR,", "II,"}, new String[] {"NU", "NU", "mV", "mV", "mV"});

        FusionAnalyzer.Input[] in = FusionAnalyzer.wfdb(dir.resolve("bidmc01"));
        assertThat(in[0].channels()).containsExactly("II,");
        assertThat(in[1].channels()).containsExactly("PLETH,");
        assertThat(in[2]).as("no SCG in BIDMC").isNull();

        FusionConfig config = FusionConfig.defaults().withPatWindow(0.3, 0.8);
        List<FusedBeat> fromWfdb = FusionAnalyzer.analyze(in[0], in[1], in[2], config);
        List<FusedBeat> fromCsv = FusionAnalyzer.analyze(new FusionAnalyzer.Input(csv, List.of("II"), 1),
                new FusionAnalyzer.Input(csv, List.of("PLETH"), 1), null, config);
        assertThat(fromWfdb).hasSizeGreaterThan(700).hasSameSizeAs(fromCsv);
        int withFoot = 0;
        for (int i = 0; i < fromCsv.size(); i++) {
            FusedBeat w = fromWfdb.get(i);
            FusedBeat c = fromCsv.get(i);
            assertThat(w.rSample()).as("R of beat " + i).isEqualTo(c.rSample());
            assertThat(w.qtMs()).as("QT of beat " + i).isEqualTo(c.qtMs());
            assertThat(w.ppgFootNanos() == FusedBeat.NONE).isEqualTo(c.ppgFootNanos() == FusedBeat.NONE);
            if (c.ppgFootNanos() != FusedBeat.NONE) {
                withFoot++;
                // format 16 quantises PLETH to 1/45848 of its unit: the foot moves by a fraction of a millisecond
                assertThat(Math.abs(w.ppgFootNanos() - c.ppgFootNanos())).as("foot of beat " + i).isLessThan(1_000_000);
            }
        }
        assertThat(withFoot).isGreaterThan(690);
    }

    @Test
    void picksSensSmartTechSignalsByTheirDescriptionsAcrossRecords(@TempDir Path dir) throws Exception {
        int n = 2000;
        double[][] x = new double[4][n];
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < 4; c++) {
                x[c][i] = Math.sin(i * 0.01 * (c + 1));
            }
        }
        TimedSignals t = new TimedSignals("synthetic", List.of("a", "b", "c", "d"), 1000, 0, x);
        write(dir, "r_ecg", t, new String[] {"a", "b"}, new String[] {"I", "II"}, new String[] {"mV", "mV"});
        write(dir, "r_ppg", t, new String[] {"a", "b", "c", "d"},
                new String[] {"brachial_880nm", "carotid_880nm", "carotid_660nm", "brachial_660nm"},
                new String[] {"au", "au", "au", "au"});
        write(dir, "r_acc", t, new String[] {"c"}, new String[] {"az"}, new String[] {"g"});

        FusionAnalyzer.Input[] in = FusionAnalyzer.wfdb(dir.resolve("r_ecg"), dir.resolve("r_ppg"),
                dir.resolve("r_acc.hea"));
        assertThat(in[0].channels()).as("lead II preferred").containsExactly("II");
        assertThat(in[0].scale()).isEqualTo(1.0);
        assertThat(in[1].channels()).as("infrared first, then the red of the same site")
                .containsExactly("brachial_880nm", "brachial_660nm");
        assertThat(in[2].channels()).containsExactly("az");
        assertThat(in[2].scale()).as("g to mg").isEqualTo(1000.0);
        assertThat(in[2].signals().column("az")[100]).isCloseTo(Math.sin(100 * 0.03), org.assertj.core.data.Offset.offset(1e-4));
    }

    @Test
    void namesTheRecordAndItsSignalsWhenNoneIsUsable(@TempDir Path dir) throws Exception {
        TimedSignals t = new TimedSignals("synthetic", List.of("a"), 250, 0, new double[][] {new double[100]});
        write(dir, "resp", t, new String[] {"a"}, new String[] {"RESP"}, new String[] {"NU"});
        assertThatThrownBy(() -> FusionAnalyzer.wfdb(dir.resolve("resp")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no ECG signal")
                .hasMessageContaining("resp:RESP");
        write(dir, "ecg", t, new String[] {"a"}, new String[] {"MLII"}, new String[] {"mV"});
        assertThatThrownBy(() -> FusionAnalyzer.wfdb(dir.resolve("ecg")))
                .hasMessageContaining("no PPG").hasMessageContaining("ecg:MLII");
        write(dir, "acc", t, new String[] {"a"}, new String[] {"ACC Z"}, new String[] {"furlong"});
        assertThatThrownBy(() -> FusionAnalyzer.wfdb(dir.resolve("ecg"), dir.resolve("acc")))
                .hasMessageContaining("SCG signal 'ACC Z' has units 'furlong'");
    }

    @Test
    void recognisesTheEcgLeadNamesOfPhysioNetRecordsAndNothingElse() {
        for (String lead : List.of("MLII", "V5", "I", "II,", "aVF", "V1-V2", "mod.V1", "CM5", "CC5", "ML5", "D3", "ECG1",
                "ECG lead II", "EKG", "V", "MV1")) {
            assertThat(WfdbInputs.isEcgDescription(lead)).as(lead).isTrue();
        }
        for (String other : List.of("RESP,", "PLETH", "ABP", "az", "carotid_880nm", "SpO2", "CO2", "", "Pulse")) {
            assertThat(WfdbInputs.isEcgDescription(other)).as(other).isFalse();
        }
        assertThat(WfdbInputs.isEcgDescription(null)).isFalse();
    }
}
