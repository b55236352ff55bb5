package org.cardiogate.dsp.fusion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.cardiogate.dsp.fusion.io.FusedBeatCsv;
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
        assertThat(s.rPeaks()).isGreaterThan(600);
        assertThat(s.f1()).isGreaterThanOrEqualTo(98.5);
        assertThat(s.patMedianMs()).isBetween(400.0, 650.0);
        assertThat(s.patQ3Ms() - s.patQ1Ms()).isLessThan(60);
    }

    @Test
    void findsAoAndIntervalsInBothSensSmartTechRecords() throws Exception {
        Path dir = data("senssmarttech/CSV");
        for (String rec : List.of("10_18-12-33", "11_18-48-54")) {
            List<FusedBeat> beats = RecordedFusion.senssmarttech(dir, rec);
            List<FusedBeat> ecg = beats.stream().filter(b -> b.rNanos() != FusedBeat.NONE).toList();
            long ao = ecg.stream().filter(b -> b.aoNanos() != FusedBeat.NONE).count();
            assertThat(ecg.size()).as(rec + " ECG beats in 30 s").isBetween(40, 55);
            assertThat(ao).as(rec + " beats with AO").isGreaterThanOrEqualTo(ecg.size() - 2);
            List<Double> pep = ecg.stream().map(FusedBeat::pepMs).filter(d -> !Double.isNaN(d)).toList();
            List<Double> pat = ecg.stream().map(FusedBeat::patMs).filter(d -> !Double.isNaN(d)).toList();
            assertThat(RecordedFusion.q(pep, 0.5)).as(rec + " PEP median").isBetween(60.0, 130.0);
            assertThat(RecordedFusion.q(pep, 0.75) - RecordedFusion.q(pep, 0.25)).as(rec + " PEP IQR").isLessThan(15);
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
        assertThat(lines[5].split(",", -1)).hasSize(14);
        assertThat(lines[5]).endsWith(",ecg");
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
