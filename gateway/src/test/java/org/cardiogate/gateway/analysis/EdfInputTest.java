package org.cardiogate.gateway.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.List;

import org.cardiogate.signal.edf.EdfRecordingSpec;
import org.cardiogate.signal.edf.EdfSignalSpec;
import org.cardiogate.signal.edf.EdfWriter;
import org.cardiogate.signal.wfdb.WfdbRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EdfInputTest {

    private static Path mitdb100() {
        Path dir = Path.of(System.getProperty("cardiogate.shared", "../shared")).resolve("data").resolve("mitdb");
        assumeTrue(Files.isRegularFile(dir.resolve("100.hea")), "MIT-BIH record 100 not found in " + dir.toAbsolutePath()
                + " (set -Dcardiogate.shared=DIR); skipping");
        return dir.resolve("100");
    }

    @Test
    void readsMitBih100WrittenAsMicrovoltEdfBackInMillivoltsWithinOneDigitalStep(@TempDir Path tmp) throws Exception {
        WfdbRecord rec = WfdbRecord.read(mitdb100());
        int n = (int) rec.length();
        int fs = (int) rec.samplingFrequency();
        double[] respLike = new double[n];
        double[] mlii = rec.physical(0);
        double[] v5 = rec.physical(1);
        for (int i = 0; i < n; i++) {
            respLike[i] = v5[i] * 10;
        }
        double[] mliiUv = new double[n];
        for (int i = 0; i < n; i++) {
            mliiUv[i] = mlii[i] * 1000;
        }
        // a non-ECG signal first, so the choice by label is exercised; MLII in microvolts, 1 uV per digital step
        EdfRecordingSpec spec = EdfRecordingSpec.of(LocalDateTime.of(2026, 11, 21, 12, 0), 1.0, List.of(
                EdfSignalSpec.of("Resp", "au", -1000, 1000, fs),
                EdfSignalSpec.of("MLII", "uV", -32768, 32767, fs)));
        Path file = tmp.resolve("mitdb100.edf");
        try (EdfWriter w = EdfWriter.create(file, spec, 0)) {
            w.writeSamples(0, respLike, 0, n);
            w.writeSamples(1, mliiUv, 0, n);
        }

        EdfInput in = EdfInput.read(file);

        assertThat(in.name()).isEqualTo("MLII");
        assertThat(in.signalIndex()).isEqualTo(1);
        assertThat(in.rateHz()).isEqualTo(360.0);
        // 650000 samples do not fill whole 1 s records: the last record is padded by the writer
        assertThat(in.length()).isEqualTo((n + fs - 1) / fs * fs);
        double step = 0.001;
        double maxErr = 0;
        for (int i = 0; i < n; i++) {
            maxErr = Math.max(maxErr, Math.abs(in.millivolts()[i] - mlii[i]));
        }
        assertThat(maxErr).isLessThanOrEqualTo(step / 2 + 1e-9);
        assertThat(in.millivolts()[1000]).isCloseTo(mlii[1000], within(step));
        assertThat(EdfInput.isEdf(file)).isTrue();
        assertThat(EdfInput.isEdf(tmp.resolve("100.hea"))).isFalse();
        assertThat(in.recordName()).isEqualTo("mitdb100");
        assertThat(in.stream().nominalRateHz()).isEqualTo(360.0);
        assertThat(in.stream().channels().get(0).name()).isEqualTo("MLII");
    }

    @Test
    void convertsVoltsToMillivolts(@TempDir Path tmp) throws Exception {
        double[] volts = new double[500];
        for (int i = 0; i < volts.length; i++) {
            volts[i] = 0.001 * Math.sin(2 * Math.PI * i / 250.0);
        }
        EdfRecordingSpec spec = EdfRecordingSpec.of(LocalDateTime.of(2026, 1, 1, 0, 0), 1.0,
                List.of(EdfSignalSpec.of("EKG", "V", -0.005, 0.005, 250)));
        Path file = tmp.resolve("volts.edf");
        try (EdfWriter w = EdfWriter.create(file, spec, 0)) {
            w.writeSamples(0, volts, 0, volts.length);
        }
        EdfInput in = EdfInput.read(file);
        assertThat(in.millivolts()[62]).isCloseTo(volts[62] * 1000, within(0.01 / 65535 * 1000));
        assertThat(in.rateHz()).isEqualTo(250.0);
    }

    @Test
    void choosesTheFirstSignalNamingAnEcgOrALeadElseSignalZero() {
        assertThat(EdfInput.ecgSignal(List.of(sig("EEG Fpz-Cz"), sig("Resp oro-nasal"), sig("ECG"), sig("II"))))
                .isEqualTo(2);
        assertThat(EdfInput.ecgSignal(List.of(sig("Pleth"), sig("EEG C3"), sig("V2")))).isEqualTo(2);
        assertThat(EdfInput.ecgSignal(List.of(sig("Pleth"), sig("Resp")))).isZero();
        assertThat(EdfInput.looksLikeEcg("EMG")).isFalse();
        assertThat(EdfInput.looksLikeEcg("Lead II")).isTrue();
    }

    @Test
    void refusesASignalWhoseDimensionIsNotAVoltageNamingFileAndUnit(@TempDir Path tmp) throws Exception {
        EdfRecordingSpec spec = EdfRecordingSpec.of(LocalDateTime.of(2026, 1, 1, 0, 0), 1.0,
                List.of(EdfSignalSpec.of("Pressure", "mmHg", 0, 300, 100)));
        Path file = tmp.resolve("abp.edf");
        try (EdfWriter w = EdfWriter.create(file, spec, 0)) {
            w.writeSamples(0, new double[100], 0, 100);
        }
        assertThatThrownBy(() -> EdfInput.read(file)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("abp.edf").hasMessageContaining("mmHg");
    }

    private static EdfSignalSpec sig(String label) {
        return EdfSignalSpec.of(label, "uV", -100, 100, 10);
    }
}
