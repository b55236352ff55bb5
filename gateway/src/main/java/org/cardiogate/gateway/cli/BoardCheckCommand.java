package org.cardiogate.gateway.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

import org.cardiogate.sensor.ads129x.Ads129xConfig;
import org.cardiogate.sensor.boardcheck.BoardCheck;
import org.cardiogate.sensor.boardcheck.BoardReport;
import org.cardiogate.sensor.boardcheck.BoardSpec;
import org.cardiogate.sensor.timing.HostTime;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code gateway board-check}: bring-up report of an ECG front-end board for labs. */
@Command(name = "board-check", mixinStandardHelpOptions = true,
        description = {"Check an ECG front-end board and write an HTML report with plots.",
                "Reads the chip id and registers, measures the input-referred noise floor (shorted inputs), the",
                "internal test signal, the real sample rate against nominal (ppm) and lead-off behaviour.",
                "BOARD is ads1292r@/dev/spidev0.0,drdy=gpiochip0:25 (real board) or ads1298@emulated[,drift=PPM]."})
public final class BoardCheckCommand implements Callable<Integer> {

    @Parameters(paramLabel = "BOARD", description = "where the board is (see above)")
    String board;

    @Option(names = "--out", defaultValue = "board-check.html", paramLabel = "FILE", description = "report file (default ${DEFAULT-VALUE})")
    Path out;

    @Option(names = "--phase-seconds", defaultValue = "5", paramLabel = "SECONDS",
            description = "duration of each measurement phase (default ${DEFAULT-VALUE})")
    double phaseSeconds;

    @Override
    public Integer call() throws Exception {
        BoardSpec spec;
        try {
            spec = BoardSpec.parse(board);
        } catch (IllegalArgumentException e) {
            System.err.println("board-check: " + e.getMessage());
            return 2;
        }
        HostTime time = HostTime.system();
        BoardReport r = new BoardCheck(spec.factory(time), time, phaseSeconds)
                .run(Ads129xConfig.defaults(spec.model(), "ecg"));
        if (out.toAbsolutePath().getParent() != null) {
            Files.createDirectories(out.toAbsolutePath().getParent());
        }
        r.writeHtml(out);
        System.out.printf(Locale.ROOT, "%s %s: rate %.3f Hz (nominal %.0f Hz, %+.1f ppm), report %s%n",
                spec.model(), r.passed() ? "PASS" : "FAIL", r.measuredRateHz(), r.nominalRateHz(), r.ratePpm(),
                out.toAbsolutePath());
        for (String f : r.failures()) {
            System.out.println("  failed: " + f);
        }
        return r.passed() ? 0 : 1;
    }
}
