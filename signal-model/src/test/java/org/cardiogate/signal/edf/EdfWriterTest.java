package org.cardiogate.signal.edf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EdfWriterTest {
    @TempDir
    Path tmp;

    private static String decimal(long unscaled, int scale) {
        byte[] b = new byte[32];
        int end = EdfWriter.putDecimal(b, 3, unscaled, scale);
        return new String(b, 3, end - 3, StandardCharsets.US_ASCII);
    }

    @Test
    void formatsRecordOnsetsAsPlainDecimalsWithoutTrailingZeros() {
        assertThat(decimal(0, 0)).isEqualTo("0");
        assertThat(decimal(0, 3)).isEqualTo("0");
        assertThat(decimal(7, 0)).isEqualTo("7");
        assertThat(decimal(12340, 0)).isEqualTo("12340");
        assertThat(decimal(5, 1)).isEqualTo("0.5");
        assertThat(decimal(1500, 3)).isEqualTo("1.5");
        assertThat(decimal(4, 2)).isEqualTo("0.04");
        assertThat(decimal(86399999, 3)).isEqualTo("86399.999");
        assertThat(decimal(Long.MAX_VALUE, 0)).isEqualTo(Long.toString(Long.MAX_VALUE));
    }

    @Test
    void writesSamplesWithoutAllocatingInSteadyState() throws Exception {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long thread = Thread.currentThread().threadId();
        List<EdfSignalSpec> signals = EdfRoundTripTest.ecgEcgPpg();
        double[] ecg = new double[50];
        double[] ppg = new double[10];
        for (int i = 0; i < ecg.length; i++) {
            ecg[i] = EdfRoundTripTest.ecg(0, i, 500);
        }
        try (EdfWriter w = EdfWriter.create(tmp.resolve("alloc.edf"),
                EdfRecordingSpec.of(EdfRoundTripTest.START, 0.1, signals), 0)) {
            for (int i = 0; i < 2000; i++) {
                w.writeSamples(0, ecg, 0, 50);
                w.writeSamples(1, ecg, 0, 50);
                w.writeSamples(2, ppg, 0, 10);
            }
            long before = threads.getThreadAllocatedBytes(thread);
            for (int i = 0; i < 1000; i++) {
                w.writeSamples(0, ecg, 0, 50);
                w.writeSamples(1, ecg, 0, 50);
                w.writeSamples(2, ppg, 0, 10);
            }
            long allocated = threads.getThreadAllocatedBytes(thread) - before;
            assertThat(w.dataRecordsWritten()).isEqualTo(300);
            assertThat(allocated).as("bytes allocated writing 100 data records").isLessThan(1024);
        }
    }

    @Test
    void rejectsNaNSamplesNamingTheSignal() throws Exception {
        Path file = tmp.resolve("nan.edf");
        try (EdfWriter w = EdfWriter.create(file, EdfRecordingSpec.of(EdfRoundTripTest.START, 1,
                List.of(EdfSignalSpec.of("ECG", "mV", -5, 5, 3))), 0)) {
            assertThatThrownBy(() -> w.writeSamples(0, new double[] {1, Double.NaN}, 0, 2))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage(file + ": signal 0 ('ECG') sample 1 is NaN");
            w.writeSamples(0, new double[] {2, 3}, 0, 2);
        }
        assertThat(EdfReader.read(file).physical(0)).containsExactly(new double[] {1, 2, 3}, within(1e-4));
    }

    @Test
    void refusesWritesAfterClose() throws Exception {
        EdfWriter w = EdfWriter.create(tmp.resolve("closed.edf"), EdfRecordingSpec.of(EdfRoundTripTest.START, 1,
                List.of(EdfSignalSpec.of("ECG", "mV", -5, 5, 3))), 0);
        w.close();
        w.close();
        assertThatThrownBy(() -> w.writeSamples(0, new double[1], 0, 1)).isInstanceOf(IllegalStateException.class)
                .hasMessageEndingWith("closed.edf: the EDF writer is closed");
    }
}
