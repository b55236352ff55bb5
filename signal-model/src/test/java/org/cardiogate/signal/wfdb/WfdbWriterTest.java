package org.cardiogate.signal.wfdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WfdbWriterTest {
    @TempDir
    Path tmp;

    private static int[] ramp(int n, int lo, int hi, int seed) {
        int[] x = new int[n];
        long state = seed;
        for (int i = 0; i < n; i++) {
            state = state * 6364136223846793005L + 1442695040888963407L;
            x[i] = lo + (int) Math.floorMod(state >>> 33, (long) hi - lo + 1);
        }
        x[0] = lo;
        x[n - 1] = hi;
        return x;
    }

    @Test
    void roundTripsThreeSignalsInFormat16() throws Exception {
        int[][] d = {ramp(1001, -32768, 32767, 1), ramp(1001, -5, 5, 2), ramp(1001, 0, 0, 3)};
        WfdbWriter.write(tmp, "rec16", 500.0, new String[] {"ECG I", "SCG z", "PPG"},
                new String[] {"mV", "g", "au"}, new double[] {6990.5, 327.68, 100}, new int[] {0, -3, 12}, d, 16);
        assertThat(Files.size(tmp.resolve("rec16.dat"))).isEqualTo(3 * 1001 * 2);
        WfdbRecord r = WfdbRecord.read(tmp.resolve("rec16"));
        assertThat(r.samplingFrequency()).isEqualTo(500.0);
        assertThat(r.length()).isEqualTo(1001);
        for (int s = 0; s < 3; s++) {
            assertThat(r.digital(s)).containsExactly(d[s]);
            assertThat(r.signal(s).initialValue()).isEqualTo(d[s][0]);
            assertThat(r.signal(s).checksumPresent()).isTrue();
        }
        assertThat(r.header().signals()).extracting(WfdbSignalSpec::description).containsExactly("ECG I", "SCG z", "PPG");
        assertThat(r.header().signals()).extracting(WfdbSignalSpec::units).containsExactly("mV", "g", "au");
        assertThat(r.signal(0).adcGain()).isEqualTo(6990.5);
        assertThat(r.signal(1).baseline()).isEqualTo(-3);
        assertThat(r.physical(2, 0)).isEqualTo(-0.12);
    }

    @Test
    void roundTripsAnOddNumberOfSamplesInFormat212() throws Exception {
        int[][] d = {ramp(777, -2048, 2047, 7)};
        WfdbWriter.write(tmp, "rec212", 360.0, new String[] {"MLII"}, new String[] {"mV"}, new double[] {200},
                new int[] {1024}, d, 212);
        assertThat(Files.size(tmp.resolve("rec212.dat"))).isEqualTo((3 * 777 + 1) / 2);
        WfdbRecord r = WfdbRecord.read(tmp.resolve("rec212"));
        assertThat(r.digital(0)).containsExactly(d[0]);
        assertThat(r.signal(0).format()).isEqualTo(212);
    }

    @Test
    void rewritesMitdb100WithIdenticalSignalBytes() throws Exception {
        Path dir = SharedData.dir("mitdb");
        WfdbRecord original = WfdbRecord.read(dir.resolve("100"));
        WfdbWriter.write(tmp, "100", 360, new String[] {"MLII", "V5"}, new String[] {"mV", "mV"},
                new double[] {200, 200}, new int[] {1024, 1024}, new int[][] {original.digital(0), original.digital(1)},
                212);
        assertThat(Files.readAllBytes(tmp.resolve("100.dat"))).isEqualTo(Files.readAllBytes(dir.resolve("100.dat")));
        WfdbHeader h = WfdbHeader.parse(tmp.resolve("100.hea"));
        for (int s = 0; s < 2; s++) {
            assertThat(h.signal(s).checksum()).isEqualTo(original.signal(s).checksum());
            assertThat(h.signal(s).initialValue()).isEqualTo(original.signal(s).initialValue());
        }
    }

    @Test
    void rejectsSamplesThatDoNotFitTheFormat() {
        int[][] d = {{0, 2048}};
        assertThatThrownBy(() -> WfdbWriter.write(tmp, "bad", 360, new String[] {"MLII"}, new String[] {"mV"},
                new double[] {200}, new int[] {0}, d, 212))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("signal 0 (MLII) sample 1 = 2048 does not fit format 212 (-2048..2047)");
        assertThatThrownBy(() -> WfdbWriter.write(tmp, "bad name", 360, new String[] {"MLII"}, new String[] {"mV"},
                new double[] {200}, new int[] {0}, d, 16)).hasMessageContaining("record name 'bad name'");
        assertThatThrownBy(() -> WfdbWriter.write(tmp, "bad", 360, new String[] {"MLII"}, new String[] {"mV"},
                new double[] {200}, new int[] {0}, d, 80)).hasMessageContaining("format 80 cannot be written");
        assertThat(tmp.resolve("bad.hea")).doesNotExist();
    }
}
