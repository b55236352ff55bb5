package org.cardiogate.signal.wfdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WfdbRecordTest {
    @TempDir
    Path tmp;

    @Test
    void readsMitdb100HeaderAndFirstSamples() throws Exception {
        WfdbRecord r = WfdbRecord.read(SharedData.dir("mitdb").resolve("100"));
        assertThat(r.name()).isEqualTo("100");
        assertThat(r.samplingFrequency()).isEqualTo(360.0);
        assertThat(r.length()).isEqualTo(650000);
        assertThat(r.signalCount()).isEqualTo(2);
        assertThat(r.header().signals()).extracting(WfdbSignalSpec::description).containsExactly("MLII", "V5");
        for (WfdbSignalSpec s : r.header().signals()) {
            assertThat(s.format()).isEqualTo(212);
            assertThat(s.adcGain()).isEqualTo(200.0);
            assertThat(s.adcZero()).isEqualTo(1024);
            assertThat(s.baseline()).isEqualTo(1024);
            assertThat(s.adcResolution()).isEqualTo(11);
        }
        assertThat(r.digital(0, 0)).isEqualTo(995).isEqualTo(r.signal(0).initialValue());
        assertThat(r.digital(1, 0)).isEqualTo(1011).isEqualTo(r.signal(1).initialValue());
        assertThat(r.physical(0, 0)).isCloseTo(-0.145, within(1e-12));
        double[] mv = r.physical(1);
        assertThat(mv).hasSize(650000);
        assertThat(mv[0]).isCloseTo((1011 - 1024) / 200.0, within(1e-12));
        int[] dst = new int[5];
        r.copyDigital(0, 0, dst, 0, 5);
        assertThat(dst).containsExactly(Arrays.copyOf(r.digital(0), 5));
    }

    @Test
    void readsAllMitdbRecordsWithVerifiedChecksumsAndInitialValues() throws Exception {
        Path dir = SharedData.dir("mitdb");
        List<String> records = SharedData.records(dir);
        assertThat(records).hasSize(48);
        long t0 = System.nanoTime();
        long samples = 0;
        for (String name : records) {
            WfdbRecord r = WfdbRecord.read(dir.resolve(name));
            assertThat(r.length()).as(name).isEqualTo(650000);
            assertThat(r.signalCount()).as(name).isEqualTo(2);
            for (int s = 0; s < 2; s++) {
                assertThat(r.digital(s, 0)).as(name + " signal " + s).isEqualTo(r.signal(s).initialValue());
                assertThat(WfdbRecord.checksum(r.digital(s))).isEqualTo((int) (short) r.signal(s).checksum());
            }
            samples += r.length() * r.signalCount();
        }
        System.out.printf("read all %d mitdb records (%d samples, checksums verified) in %.0f ms%n", records.size(),
                samples, (System.nanoTime() - t0) / 1e6);
    }

    @Test
    void readsAllCpsc2021RecordsInFormat16WithBaselines() throws Exception {
        Path dir = SharedData.dir("cpsc2021");
        List<String> records = SharedData.records(dir);
        assertThat(records).hasSize(18);
        for (String name : records) {
            WfdbRecord r = WfdbRecord.read(dir.resolve(name));
            assertThat(r.samplingFrequency()).as(name).isEqualTo(200.0);
            assertThat(r.header().signals()).extracting(WfdbSignalSpec::description).containsExactly("I", "II");
            assertThat(r.length()).as(name).isEqualTo(r.header().sampleCount()).isPositive();
            for (int s = 0; s < 2; s++) {
                WfdbSignalSpec spec = r.signal(s);
                assertThat(spec.format()).isEqualTo(16);
                assertThat(spec.baseline()).as("baseline is given in the gain field, not the ADC zero")
                        .isNotEqualTo(spec.adcZero());
                assertThat(r.digital(s, 0)).isEqualTo(spec.initialValue());
            }
        }
        WfdbRecord r = WfdbRecord.read(dir.resolve("data_101_6"));
        assertThat(r.signal(0).adcGain()).isEqualTo(30061.276794035417);
        assertThat(r.signal(0).baseline()).isEqualTo(-161790);
        assertThat(r.physical(0, 0)).isCloseTo((-10581 + 161790) / 30061.276794035417, within(1e-12));
    }

    @Test
    void readsQtdbRecordWithCounterFrequency() throws Exception {
        WfdbRecord r = WfdbRecord.read(SharedData.dir("qtdb").resolve("sel100"));
        assertThat(r.samplingFrequency()).isEqualTo(250.0);
        assertThat(r.header().counterFrequency()).isEqualTo(360.0);
        assertThat(r.length()).isEqualTo(225000);
        assertThat(r.signal(0).baseline()).as("explicit baseline (0) wins over ADC zero 1024").isZero();
        assertThat(r.digital(0, 0)).isEqualTo(945);
        assertThat(r.digital(1, 0)).isEqualTo(955);
    }

    @Test
    void reportsTruncatedSignalFileWithExpectedAndFoundSizes() throws Exception {
        Path dir = SharedData.dir("mitdb");
        Files.copy(dir.resolve("100.hea"), tmp.resolve("100.hea"));
        Files.write(tmp.resolve("100.dat"), Arrays.copyOf(Files.readAllBytes(dir.resolve("100.dat")), 1000));
        assertThatThrownBy(() -> WfdbRecord.read(tmp.resolve("100")))
                .isInstanceOf(WfdbFormatException.class)
                .hasMessage(tmp.resolve("100.dat") + ": truncated, expected 1950000 bytes for 650000 samples of 2 "
                        + "signal(s) in format 212, found 1000");
    }

    @Test
    void reportsChecksumMismatchNamingFileSignalAndBothValues() throws Exception {
        Path dir = SharedData.dir("mitdb");
        Files.copy(dir.resolve("100.hea"), tmp.resolve("100.hea"));
        byte[] dat = Files.readAllBytes(dir.resolve("100.dat"));
        dat[3000] ^= 0x01; // frame 1000, low byte of signal 0 (MLII): its sum changes by +-1
        Files.write(tmp.resolve("100.dat"), dat);
        assertThatThrownBy(() -> WfdbRecord.read(tmp.resolve("100")))
                .isInstanceOf(WfdbFormatException.class)
                .hasMessageStartingWith(tmp.resolve("100.dat") + ": signal 0 (MLII) checksum mismatch: header says "
                        + "-22131, samples sum to -2213");
    }

    @Test
    void reportsOddSizedFileWhenTheHeaderGivesNoLength() throws Exception {
        Files.writeString(tmp.resolve("odd.hea"), "odd 2 100\nodd.dat 16\nodd.dat 16\n");
        Files.write(tmp.resolve("odd.dat"), new byte[10]);
        assertThatThrownBy(() -> WfdbRecord.read(tmp.resolve("odd")))
                .isInstanceOf(WfdbFormatException.class)
                .hasMessageStartingWith(tmp.resolve("odd.dat") + ": odd-sized, 10 bytes are not a whole number of "
                        + "frames of 2 signal(s) in format 16");
        Files.write(tmp.resolve("odd.dat"), new byte[12]);
        assertThat(WfdbRecord.read(tmp.resolve("odd")).length()).isEqualTo(3);
    }

    @Test
    void reportsMissingSignalFileAndUnsupportedLayouts() throws Exception {
        Files.writeString(tmp.resolve("gone.hea"), "gone 1 100 10\ngone.dat 16\n");
        assertThatThrownBy(() -> WfdbRecord.read(tmp.resolve("gone")))
                .isInstanceOf(NoSuchFileException.class).hasMessageContaining("gone.dat");
        Files.writeString(tmp.resolve("f310.hea"), "f310 1 100 10\nf310.dat 310 200 10 0 0 0 0 ECG\n");
        assertThatThrownBy(() -> WfdbRecord.read(tmp.resolve("f310")))
                .isInstanceOf(WfdbFormatException.class)
                .hasMessageContaining("f310.hea: signal 0 (ECG) uses format 310, which is not supported");
        Files.writeString(tmp.resolve("spf.hea"), "spf 1 100 10\nspf.dat 16x4 200 16 0 0 0 0 ECG\n");
        assertThatThrownBy(() -> WfdbRecord.read(tmp.resolve("spf")))
                .isInstanceOf(WfdbFormatException.class)
                .hasMessageContaining("has 4 samples per frame; only 1 is supported");
    }

    @Test
    void readsFormats80And61AndSignalsInSeparateFiles() throws Exception {
        int[] a = {0, 1, -1, 127, -128, 42};
        int[] b = {0, 300, -300, 32767, -32768, -7};
        byte[] f80 = new byte[a.length];
        byte[] f61 = new byte[2 * b.length + 6];
        for (int i = 0; i < a.length; i++) {
            f80[i] = (byte) (a[i] + 128);
            f61[6 + 2 * i] = (byte) (b[i] >> 8);
            f61[6 + 2 * i + 1] = (byte) b[i];
        }
        Files.write(tmp.resolve("mix_a.dat"), f80);
        Files.write(tmp.resolve("mix_b.dat"), f61);
        Files.writeString(tmp.resolve("mix.hea"), "mix 2 50 6\n"
                + "mix_a.dat 80 10(0)/mV 8 0 0 " + WfdbRecord.checksum(a) + " 0 eight bit\n"
                + "mix_b.dat 61+6 1000(-300)/uV 16 0 0 " + WfdbRecord.checksum(b) + " 0 big endian\n",
                StandardCharsets.ISO_8859_1);
        WfdbRecord r = WfdbRecord.read(tmp.resolve("mix.hea"));
        assertThat(r.digital(0)).containsExactly(a);
        assertThat(r.digital(1)).containsExactly(b);
        assertThat(r.physical(1, 1)).isCloseTo(0.6, within(1e-12));
        assertThat(r.signalIndex("big endian")).isEqualTo(1);
    }
}
