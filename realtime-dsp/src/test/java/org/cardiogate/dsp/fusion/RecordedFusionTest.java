package org.cardiogate.dsp.fusion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.cardiogate.dsp.fusion.io.FusedBeatCsv;
import org.cardiogate.dsp.fusion.io.FusionAnalyzer;
import org.cardiogate.dsp.fusion.io.SignalCsv;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecordedFusionTest {

    private static Path data(String sub) {
        String shared = System.getProperty("cardiogate.shared");
        assumeTrue(shared != null, "system property cardiogate.shared is not set; reference recordings skipped");
        Path p = Path.of(shared, "data").resolve(sub);
        assumeTrue(Files.exists(p), p + " is absent; reference recordings skipped");
        return p;
    }

    @Test
    void detectsBidmcPulsesAgainstEcgBeatsInThePatWindow() throws Exception {
        RecordedFusion.PpgScore s = RecordedFusion.bidmc(data("bidmc/bidmc_01_Signals.csv"), 0.3, 0.8);
        System.out.println("bidmc_01: " + s);
        s.misses().forEach(m -> System.out.println("  " + m));
        assertThat(s.rPeaks()).isGreaterThan(600);
        assertThat(s.f1()).isGreaterThanOrEqualTo(99.0);
        assertThat(s.patMedianMs()).isBetween(400.0, 650.0);
        assertThat(s.patQ3Ms() - s.patQ1Ms()).isLessThan(40);
        // the PPG processor's artefact stretches cover the PLETH dropout (held values, steps) and little else
        assertThat(s.flaggedSeconds()).as("seconds flagged as PPG artefact of 460").isBetween(5.0, 25.0);
        assertThat(s.clean().f1()).as("F1 outside the flagged stretches").isGreaterThanOrEqualTo(99.7);
    }

    @Test
    void findsAoAndIntervalsInBothSensSmartTechRecords() throws Exception {
        Path dir = data("senssmarttech/CSV");
        for (String rec : List.of("10_18-12-33", "11_18-48-54")) {
            List<FusedBeat> beats = RecordedFusion.senssmarttech(dir, rec);
            List<FusedBeat> ecg = beats.stream().filter(b -> b.rNanos() != FusedBeat.NONE).toList();
            long ao = ecg.stream().filter(b -> b.aoNanos() != FusedBeat.NONE).count();
            // the accelerometer's data end about 30.0 s: AO needs its search window (R + 40..200 ms) and its template
            // (0.12 s after AO) in the data
            double scgEnd = FusionAnalyzer.senssmarttech(dir, rec)[2].signals().length()
                    / FusionAnalyzer.senssmarttech(dir, rec)[2].signals().rateHz();
            long aoPossible = ecg.stream().filter(b -> b.rNanos() / 1e9 + 0.2 + 0.12 < scgEnd).count();
            assertThat(ecg.size()).as(rec + " ECG beats in 30 s").isBetween(40, 55);
            assertThat(ao).as(rec + " beats with AO").isGreaterThanOrEqualTo(aoPossible);
            List<Double> lvet = ecg.stream().map(FusedBeat::lvetMs).filter(d -> !Double.isNaN(d)).toList();
            assertThat(lvet.size()).as(rec + " beats with LVET").isGreaterThanOrEqualTo(ecg.size() - 2);
            assertThat(RecordedFusion.q(lvet, 0.75) - RecordedFusion.q(lvet, 0.25)).as(rec + " LVET IQR").isLessThan(20);
            long qrs = ecg.stream().filter(b -> !Double.isNaN(b.qrsMs())).count();
            assertThat(qrs).as(rec + " beats with a QRS duration").isGreaterThanOrEqualTo(ecg.size() - 2);
            List<Double> pep = ecg.stream().map(FusedBeat::pepMs).filter(d -> !Double.isNaN(d)).toList();
            List<Double> pat = ecg.stream().map(FusedBeat::patMs).filter(d -> !Double.isNaN(d)).toList();
            assertThat(RecordedFusion.q(pep, 0.5)).as(rec + " PEP median").isBetween(60.0, 130.0);
            assertThat(RecordedFusion.q(pep, 0.75) - RecordedFusion.q(pep, 0.25)).as(rec + " PEP IQR").isLessThan(10);
            assertThat(pat.size()).isGreaterThanOrEqualTo(ecg.size() - 3);
            assertThat(RecordedFusion.q(pat, 0.5)).as(rec + " PAT median").isBetween(80.0, 250.0);
        }
    }

    @Test
    void writesTheFusedBeatTableWithEmptyFieldsForMissingPoints() throws Exception {
        SimulatedFusion f = new SimulatedFusion(org.cardiogate.sensor.sim.SimulatorConfig.defaults());
        f.run(20, true);
        f.engine.finish();
        StringWriter w = new StringWriter();
        FusedBeatCsv.write(w, f.beats);
        String[] lines = w.toString().split("\n");
        assertThat(lines[0]).isEqualTo(FusedBeatCsv.HEADER);
        assertThat(lines.length).isGreaterThan(15);
        String[] row = lines[5].split(",", -1);
        assertThat(row).hasSize(17);
        assertThat(row[13]).isEqualTo("ecg");
        assertThat(FusedBeatCsv.HEADER).startsWith("r_sample,r_time_s,ao_s,ac_s,ppg_foot_s,ppg_peak_s,pep_ms,lvet_ms,"
                + "pat_ms,q_ecg,q_scg,q_ppg,hr_bpm,hr_source,").endsWith(",pr_ms,qrs_ms,qt_ms");
        // the simulator's beats have P, QRS and T: PR 120-200 ms, QRS below 120 ms, QT 300-450 ms at 72 bpm
        assertThat(Double.parseDouble(row[14])).as("PR").isBetween(100.0, 220.0);
        assertThat(Double.parseDouble(row[15])).as("QRS").isBetween(50.0, 130.0);
        assertThat(Double.parseDouble(row[16])).as("QT").isBetween(280.0, 460.0);
    }

    @Test
    void namesTheFileLineAndColumnOfABadValue(@TempDir Path dir) throws Exception {
        Path csv = dir.resolve("bad.csv");
        Files.writeString(csv, "t,az\n1.0,5\n2.0,x\n3.0,7\n");
        assertThatThrownBy(() -> SignalCsv.readTimestamped(csv, "t", 1e-3))
                .hasMessageContaining("bad.csv:3").hasMessageContaining("'az'");
        Path noTime = dir.resolve("notime.csv");
        Files.writeString(noTime, "a,b\n1,2\n3,4\n");
        assertThatThrownBy(() -> SignalCsv.readTimestamped(noTime, "t", 1e-3)).hasMessageContaining("no time column 't'");
    }

    @Test
    void resamplesATimestampedFileAtItsOwnRate(@TempDir Path dir) throws Exception {
        Path csv = dir.resolve("s.csv");
        StringBuilder sb = new StringBuilder("t,v\n");
        for (int i = 0; i < 1000; i++) {
            double t = 5 + i * 1.98 + (i % 3 == 0 ? 0.05 : 0);
            sb.append(t).append(',').append(2 * t).append('\n');
        }
        Files.writeString(csv, sb.toString());
        var s = SignalCsv.readTimestamped(csv, "t", 1e-3);
        assertThat(s.rateHz()).isCloseTo(1000 / 1.98, org.assertj.core.data.Offset.offset(0.5));
        assertThat(s.startNanos()).isEqualTo(5_050_000L);
        assertThat(s.column("v")[500]).isCloseTo(2 * (5.05 + 500 / s.rateHz() * 1000), org.assertj.core.data.Offset.offset(0.2));
    }
}
