package org.cardiogate.hwtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.cardiogate.sensor.ads129x.Ads129xConfig;
import org.cardiogate.sensor.boardcheck.BoardCheck;
import org.cardiogate.sensor.boardcheck.BoardReport;
import org.cardiogate.sensor.boardcheck.BoardSpec;
import org.cardiogate.sensor.emulator.VirtualTime;
import org.cardiogate.sensor.timing.HostTime;
import org.junit.jupiter.api.Test;

/**
 * One test body, two boards: an emulated board always, and the real board named by {@code -Dcardiogate.hw} when
 * its device nodes exist. The body is the bring-up check: identity, registers, noise floor, sample rate, test signal,
 * lead-off, report.
 */
class Ads129xBoardIT {
    static final String PROPERTY = "cardiogate.hw";

    static BoardReport check(BoardSpec spec, HostTime time, String reportName) throws Exception {
        BoardReport r = new BoardCheck(spec.factory(time), time, 4).run(Ads129xConfig.defaults(spec.model(), "ecg"));
        Path out = Path.of("target", reportName);
        Files.createDirectories(out.getParent());
        r.writeHtml(out);
        System.out.printf("%s: %s, rate %.4f SPS (%+.1f ppm), noise %.3f uV rms, report %s%n", spec,
                r.passed() ? "PASS" : "FAIL " + r.failures(), r.measuredRateHz(), r.ratePpm(),
                r.noiseMicrovoltsRms()[0], out.toAbsolutePath());
        return r;
    }

    static void assertBoardHealthy(BoardReport r, BoardSpec spec) {
        assertThat(r.failures()).as("board-check failures").isEmpty();
        assertThat(r.registers()[0]).isEqualTo(spec.model().deviceId());
        assertThat(Math.abs(r.ratePpm())).isLessThan(BoardCheck.RATE_LIMIT_PPM);
    }

    @Test
    void emulatedBoardPassesTheBringUpCheck() throws Exception {
        BoardSpec spec = BoardSpec.parse("ads1298@emulated,drift=-80");
        VirtualTime time = new VirtualTime(0);
        assertBoardHealthy(check(spec, time, "board-check-emulated.html"), spec);
    }

    @Test
    void realBoardPassesTheBringUpCheck() throws Exception {
        String hw = System.getProperty(PROPERTY);
        assumeTrue(hw != null && !hw.isBlank(), "no real board configured: run with -D" + PROPERTY
                + "=ads1292r@/dev/spidev0.0,drdy=gpiochip0:25 (see hw-tests/README.md)");
        BoardSpec spec = BoardSpec.parse(hw);
        assumeTrue(!spec.emulated(), PROPERTY + " names an emulated board; the emulated test covers it");
        String node = "/dev/spidev" + spec.spiBus() + "." + spec.spiCs();
        assumeTrue(Files.exists(Path.of(node)), node + " does not exist on this machine: skipping the hardware test");
        assumeTrue(Files.exists(Path.of("/dev/" + spec.gpioChip())), "/dev/" + spec.gpioChip()
                + " does not exist on this machine: skipping the hardware test");
        assertBoardHealthy(check(spec, HostTime.system(), "board-check-hardware.html"), spec);
    }
}
