package org.cardiogate.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.cardiogate.dsp.eval.BeatMatcher;
import org.cardiogate.dsp.eval.MatchResult;
import org.cardiogate.dsp.eval.ReferenceBeats;
import org.cardiogate.gateway.analysis.RecordAnalyzer;
import org.cardiogate.inference.RhythmLimits;
import org.cardiogate.signal.wfdb.WfdbFormatException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AnalyzeCommandTest {

    @Test
    void analyzeWritesTheContractCsvForRecord100(@TempDir Path out) throws Exception {
        Path rec = SharedData.data("mitdb").resolve("100");
        int code = org.cardiogate.gateway.Main.execute("analyze", rec.toString(), "--out", out.toString());
        assertThat(code).isZero();
        List<String> lines = Files.readAllLines(out.resolve("100.csv"));
        assertThat(lines.get(0)).isEqualTo("sample,symbol");
        assertThat(lines.subList(1, lines.size())).allMatch(l -> l.matches("\\d+,[NSVFQ]"));
        // record 100 has 2273 reference beats
        assertThat(lines.size() - 1).isBetween(2268, 2278);
        assertThat(Files.readAllLines(out.resolve("100.events.csv")).get(0)).startsWith("onset_sample,offset_sample,type");
    }

    @Test
    void detectedBeatsOfRecord100MatchTheReferenceAnnotations() throws Exception {
        Path rec = SharedData.data("mitdb").resolve("100");
        RecordAnalyzer.Result r = new RecordAnalyzer(360, RhythmLimits.ADULT_DEFAULTS).analyze(rec);
        MatchResult m = ReferenceBeats.read(rec, "atr").score(new BeatMatcher(r.samplingFrequency()), r.beatSamples());
        assertThat(m.sensitivityPercent()).isGreaterThanOrEqualTo(99.8);
        assertThat(m.positivePredictivityPercent()).isGreaterThanOrEqualTo(99.8);
        assertThat(Math.abs(m.medianOffsetSeconds())).isLessThanOrEqualTo(0.010);
    }

    @Test
    void theOfflineResultDoesNotDependOnTheBlockSize() throws Exception {
        Path rec = SharedData.data("mitdb").resolve("119");
        RecordAnalyzer.Result a = new RecordAnalyzer(1, RhythmLimits.ADULT_DEFAULTS).analyze(rec);
        RecordAnalyzer.Result b = new RecordAnalyzer(4096, RhythmLimits.ADULT_DEFAULTS).analyze(rec);
        assertThat(a.beatSamples()).isEqualTo(b.beatSamples());
        assertThat(a.events()).isEqualTo(b.events());
    }

    @Test
    void recordsAnalysedInParallelGiveTheSameFilesAsOneAtATime(@TempDir Path dir) throws Exception {
        Path mitdb = SharedData.data("mitdb");
        // 119 (ventricular bigeminy) and 201 (atrial fibrillation) make the shared classifier and the rhythm
        // analysis work on several threads at once; a truncated copy of 100 fails in the middle of the list
        Path broken = dir.resolve("in");
        Files.createDirectories(broken);
        Files.copy(mitdb.resolve("100.hea"), broken.resolve("100.hea"));
        Files.write(broken.resolve("100.dat"), java.util.Arrays.copyOf(Files.readAllBytes(mitdb.resolve("100.dat")), 1000));
        String[] records = {mitdb.resolve("119").toString(), broken.resolve("100").toString(),
                mitdb.resolve("201").toString(), mitdb.resolve("105").toString()};
        Path one = dir.resolve("one");
        Path three = dir.resolve("three");
        assertThat(Main.execute(concat(records, "--jobs", "1", "--out", one.toString()))).isEqualTo(1);
        assertThat(Main.execute(concat(records, "--jobs", "3", "--out", three.toString()))).isEqualTo(1);
        List<String> names;
        try (var files = Files.list(one)) {
            names = files.map(f -> f.getFileName().toString()).sorted().toList();
        }
        assertThat(names).contains("119.csv", "201.events.csv", "105.csv").doesNotContain("100.csv");
        for (String n : names) {
            assertThat(Files.readAllLines(three.resolve(n))).as(n).isEqualTo(Files.readAllLines(one.resolve(n)));
        }
        assertThat(Files.readAllLines(one.resolve("119.csv"))).anyMatch(l -> l.endsWith(",V"));
        assertThat(Files.readAllLines(one.resolve("201.events.csv"))).anyMatch(l -> l.contains(",AF,"));
        assertThat(Main.execute(concat(records, "--jobs", "-1", "--out", one.toString()))).isEqualTo(2);
    }

    private static String[] concat(String[] records, String... options) {
        String[] a = new String[records.length + options.length + 1];
        a[0] = "analyze";
        System.arraycopy(records, 0, a, 1, records.length);
        System.arraycopy(options, 0, a, 1 + records.length, options.length);
        return a;
    }

    @Test
    void aTruncatedRecordIsReportedWithItsFileNameAndTheOthersAreStillAnalysed(@TempDir Path dir) throws Exception {
        Path mitdb = SharedData.data("mitdb");
        Files.copy(mitdb.resolve("100.hea"), dir.resolve("100.hea"));
        byte[] dat = Files.readAllBytes(mitdb.resolve("100.dat"));
        Files.write(dir.resolve("100.dat"), java.util.Arrays.copyOf(dat, 1000));
        assertThatThrownBy(() -> new RecordAnalyzer(256, RhythmLimits.ADULT_DEFAULTS).analyze(dir.resolve("100")))
                .isInstanceOf(WfdbFormatException.class)
                .hasMessageContaining("100.dat")
                .hasMessageContaining("truncated");
        Path out = dir.resolve("out");
        int code = org.cardiogate.gateway.Main.execute("analyze", dir.resolve("100").toString(),
                mitdb.resolve("101").toString(), "--out", out.toString());
        assertThat(code).isEqualTo(1);
        assertThat(out.resolve("101.csv")).exists();
        assertThat(out.resolve("100.csv")).doesNotExist();
    }

    @Test
    void csvInputsGiveTheContractFilesAndTheFusedBeatTable(@TempDir Path out) throws Exception {
        Path bidmc = SharedData.data("bidmc").resolve("bidmc_01_Signals.csv");
        Path sst = SharedData.data("senssmarttech").resolve("CSV").resolve("10_18-12-33");
        assertThat(org.cardiogate.gateway.Main.execute("analyze", bidmc.toString(), "--ppg", "PLETH",
                "--pat-window", "0.3,0.8", "--out", out.toString())).isZero();
        assertThat(org.cardiogate.gateway.Main.execute("analyze", sst.toString(), "--out", out.toString())).isZero();
        List<String> beats = Files.readAllLines(out.resolve("bidmc_01_Signals.csv"));
        assertThat(beats.get(0)).isEqualTo("sample,symbol");
        // 8 minutes at a heart rate of about 90 bpm
        assertThat(beats.size() - 1).isBetween(650, 800);
        List<String> fused = Files.readAllLines(out.resolve("10_18-12-33.fused.csv"));
        assertThat(fused.get(0)).startsWith("r_sample,r_time_s,ao_s,ac_s,ppg_foot_s,ppg_peak_s,pep_ms,lvet_ms,pat_ms");
        // 30 s of signal: every beat has a row, and most carry a PEP between 40 and 200 ms
        assertThat(fused.size() - 1).isBetween(40, 60);
        long withPep = fused.stream().skip(1).map(l -> l.split(",", -1)[6]).filter(v -> !v.isEmpty())
                .mapToDouble(Double::parseDouble).filter(v -> v >= 40 && v <= 200).count();
        assertThat(withPep).isGreaterThanOrEqualTo((fused.size() - 1) * 9 / 10);
    }

    @Test
    void aWfdbRecordWithAPpgSignalAlsoGetsTheFusedBeatTable(@TempDir Path dir) throws Exception {
        Path bidmc = SharedData.data("bidmc").resolve("bidmc_01_Signals.csv");
        org.cardiogate.dsp.fusion.io.TimedSignals csv = org.cardiogate.dsp.fusion.io.SignalCsv.readUniform(bidmc, 125);
        String[] columns = {"PLETH", "II"};
        int[][] digital = new int[2][];
        double[] gains = {1000, 1000};
        for (int c = 0; c < 2; c++) {
            double[] x = csv.column(columns[c]);
            digital[c] = new int[x.length];
            for (int i = 0; i < x.length; i++) {
                digital[c][i] = (int) Math.round(x[i] * gains[c]);
            }
        }
        org.cardiogate.signal.wfdb.WfdbWriter.write(dir, "bidmc01", 125, new String[] {"PLETH", "II"},
                new String[] {"NU", "mV"}, gains, new int[2], digital, 16);
        Path out = dir.resolve("out");
        assertThat(org.cardiogate.gateway.Main.execute("analyze", dir.resolve("bidmc01").toString(),
                "--pat-window", "0.3,0.8", "--out", out.toString())).isZero();
        List<String> beats = Files.readAllLines(out.resolve("bidmc01.csv"));
        assertThat(beats.get(0)).isEqualTo("sample,symbol");
        assertThat(beats.size() - 1).isBetween(650, 800);
        List<String> fused = Files.readAllLines(out.resolve("bidmc01.fused.csv"));
        assertThat(fused.get(0)).startsWith("r_sample,r_time_s,ao_s,ac_s,ppg_foot_s,ppg_peak_s,pep_ms,lvet_ms,pat_ms");
        // the contract beats come from lead II, not from the PLETH that is the record's first signal
        assertThat(fused.size()).isBetween(beats.size() - 3, beats.size() + 3);
        long withPat = fused.stream().skip(1).map(l -> l.split(",", -1)[8]).filter(v -> !v.isEmpty())
                .mapToDouble(Double::parseDouble).filter(v -> v >= 300 && v <= 800).count();
        assertThat(withPat).as("beats with a PAT in the window").isGreaterThanOrEqualTo((fused.size() - 1) * 95L / 100);
        // a WFDB record with ECG only (MIT-BIH) gets no fused table
        Path mitdb = SharedData.data("mitdb");
        assertThat(org.cardiogate.gateway.Main.execute("analyze", mitdb.resolve("100").toString(), "--out",
                out.toString())).isZero();
        assertThat(out.resolve("100.fused.csv")).doesNotExist();
    }

    @Test
    void aMissingCsvColumnIsNamed(@TempDir Path out) throws Exception {
        Path bidmc = SharedData.data("bidmc").resolve("bidmc_01_Signals.csv");
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        java.io.PrintStream old = System.err;
        System.setErr(new java.io.PrintStream(err, true, java.nio.charset.StandardCharsets.UTF_8));
        try {
            assertThat(org.cardiogate.gateway.Main.execute("analyze", bidmc.toString(), "--ecg", "V6", "--out",
                    out.toString())).isEqualTo(1);
        } finally {
            System.setErr(old);
        }
        assertThat(err.toString(java.nio.charset.StandardCharsets.UTF_8)).contains("no column 'V6'");
    }

    @Test
    void theClassifierLabelsVentricularBeatsAndAtrialFibrillationIsWrittenAsEvents(@TempDir Path out) throws Exception {
        Path rec119 = SharedData.data("mitdb").resolve("119");
        Path af = SharedData.data("cpsc2021").resolve("data_84_1");
        assertThat(org.cardiogate.gateway.Main.execute("analyze", rec119.toString(), af.toString(), "--out",
                out.toString())).isZero();
        // record 119 holds 444 ventricular ectopic beats (bigeminy); the DS2-independent classifier must find most
        long v = Files.readAllLines(out.resolve("119.csv")).stream().filter(l -> l.endsWith(",V")).count();
        assertThat(v).isBetween(380L, 520L);
        List<String> events = Files.readAllLines(out.resolve("data_84_1.events.csv"));
        assertThat(events).anyMatch(l -> l.split(",")[2].equals("AF"));
    }
}
