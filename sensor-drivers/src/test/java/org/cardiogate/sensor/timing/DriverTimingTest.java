package org.cardiogate.sensor.timing;

import static org.assertj.core.api.Assertions.assertThat;

import org.cardiogate.sensor.ads129x.Ads129xConfig;
import org.cardiogate.sensor.ads129x.Ads129xDriver;
import org.cardiogate.sensor.ads129x.Ads129xModel;
import org.cardiogate.sensor.bus.DataReadyLine;
import org.cardiogate.sensor.emulator.Ads129xEmulator;
import org.cardiogate.sensor.emulator.ArrayFeed;
import org.cardiogate.sensor.emulator.VirtualTime;
import org.cardiogate.sensor.fault.TechnicalEventType;
import org.cardiogate.sensor.testkit.Capture;
import org.cardiogate.sensor.testkit.EventLog;
import org.cardiogate.sensor.testkit.Scenario;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Timestamps against the emulator's true conversion times, with drifting oscillators and jittery DRDY latency
 * (5..60 us, uniform). Figures are printed to the test output (target/surefire-reports/*-output.txt).
 */
class DriverTimingTest {

    static double[][] ramp(int channels) {
        double[][] mv = new double[channels][1000];
        for (int c = 0; c < channels; c++) {
            for (int i = 0; i < 1000; i++) {
                mv[c][i] = i * 0.001;
            }
        }
        return mv;
    }

    /** Largest |timestamp - true conversion time| in ns over samples after {@code warmupSeconds}. */
    static long maxError(Capture cap, Ads129xEmulator chip, double rate, double warmupSeconds) {
        return maxError(cap, chip, rate, warmupSeconds, false);
    }

    static long maxError(Capture cap, Ads129xEmulator chip, double rate, double warmupSeconds, boolean blockStarts) {
        long max = 0;
        for (int i = 0; i < cap.n; i++) {
            if (cap.seq[i] < warmupSeconds * rate || (blockStarts && !cap.blockStart[i])) {
                continue;
            }
            max = Math.max(max, Math.abs(cap.timestamp[i] - chip.conversionNanos(cap.seq[i])));
        }
        return max;
    }

    @ParameterizedTest
    @ValueSource(doubles = {200, -200, 2_000, 20_000, -20_000})
    void estimatesOscillatorDriftAndKeepsTimestampsWithinAFractionOfASample(double ppm) {
        try (Scenario s = new Scenario()) {
            Ads129xEmulator chip = new Ads129xEmulator(Ads129xModel.ADS1298, s.time, new ArrayFeed(ramp(8)), ppm, 3);
            EventLog log = new EventLog();
            Ads129xDriver driver = new Ads129xDriver(Ads129xConfig.defaults(Ads129xModel.ADS1298, "ecg"), chip,
                    chip.dataReadyLine(), s.time, log);
            Capture cap = s.start(driver);
            s.runFor(20);
            double estimated = driver.streamClock().driftPpm();
            long err = maxError(cap, chip, 500, 2, true);
            long errAll = maxError(cap, chip, 500, 2, false);
            System.out.printf("drift %+.0f ppm: estimated %+.2f ppm, max error after 2 s of block timestamps %d us,"
                    + " of every sample at nominal spacing within its block %d us%n", ppm, estimated, err / 1000,
                    errAll / 1000);
            assertThat(estimated).isBetween(ppm - 2, ppm + 2);
            // latency is 5..60 us; the fit removes the jitter but keeps the mean latency as a constant bias
            assertThat(err).isLessThan(80_000);
            // a consumer spacing samples at the nominal period inside a 10-sample block adds 9 * 2 ms * drift
            assertThat(errAll).isLessThan(80_000 + (long) (9 * 2e6 * Math.abs(ppm) * 1e-6));
            assertThat(driver.gaps()).isZero();
            assertThat(log.count(TechnicalEventType.CLOCK_DRIFT_OUT_OF_RANGE)).isZero();
            // sample count over host time: the real rate, not the nominal one
            // 1 ms for the reset, and the last block (up to 10 samples) is not full yet
            int expected = (int) ((20 - 0.001) * 500 * (1 + ppm * 1e-6));
            assertThat(cap.n).isBetween(expected - 11, expected);
        }
    }

    @Test
    void reportsDriftBeyondTheBoundAndClampsIt() {
        try (Scenario s = new Scenario()) {
            Ads129xEmulator chip = new Ads129xEmulator(Ads129xModel.ADS1292R, s.time, new ArrayFeed(ramp(2)),
                    50_000, 3);
            EventLog log = new EventLog();
            Ads129xDriver driver = new Ads129xDriver(Ads129xConfig.defaults(Ads129xModel.ADS1292R, "ecg"), chip,
                    chip.dataReadyLine(), s.time, log);
            s.start(driver);
            s.runFor(3);
            assertThat(log.count(TechnicalEventType.CLOCK_DRIFT_OUT_OF_RANGE)).isEqualTo(1);
            assertThat(driver.streamClock().driftPpm()).isCloseTo(30_000, org.assertj.core.data.Offset.offset(1.0));
        }
    }

    @Test
    void alignsTwoChipsAtDifferentRatesWithinOneSamplePeriodOfTheSlower() {
        try (Scenario s = new Scenario()) {
            Ads129xEmulator a = new Ads129xEmulator(Ads129xModel.ADS1292R, s.time, new ArrayFeed(ramp(2)), 200, 11);
            Ads129xEmulator b = new Ads129xEmulator(Ads129xModel.ADS1298, s.time, new ArrayFeed(ramp(8)), -150, 12);
            b.setLatency(20_000, 200_000);
            Ads129xDriver da = new Ads129xDriver(Ads129xConfig.defaults(Ads129xModel.ADS1292R, "ecg-a").withRate(250),
                    a, a.dataReadyLine(), s.time, new EventLog());
            Ads129xDriver db = new Ads129xDriver(Ads129xConfig.defaults(Ads129xModel.ADS1298, "ecg-b").withRate(1000),
                    b, b.dataReadyLine(), s.time, new EventLog());
            Capture ca = s.start(da);
            s.runFor(0.0137);
            Capture cb = s.start(db);
            s.runFor(30);
            long errA = maxError(ca, a, 250, 1);
            long errB = maxError(cb, b, 1000, 1);
            // alignment: for each sample of the slower stream, the error difference to the nearest faster sample
            long worst = 0;
            int j = 0;
            for (int i = 0; i < ca.n; i++) {
                if (ca.seq[i] < 250) {
                    continue;
                }
                long ea = ca.timestamp[i] - a.conversionNanos(ca.seq[i]);
                long trueTime = a.conversionNanos(ca.seq[i]);
                while (j + 1 < cb.n && b.conversionNanos(cb.seq[j + 1]) <= trueTime) {
                    j++;
                }
                long eb = cb.timestamp[j] - b.conversionNanos(cb.seq[j]);
                worst = Math.max(worst, Math.abs(ea - eb));
            }
            System.out.printf("two chips (250 SPS +200 ppm, latency 5..60 us; 1000 SPS -150 ppm, latency 20..200 us)"
                    + ": max timestamp error %d us and %d us, max alignment error %d us (slower period 4000 us)%n",
                    errA / 1000, errB / 1000, worst / 1000);
            assertThat(worst).isLessThan(4_000_000L);
            assertThat(worst).isLessThan(250_000L);
        }
    }

    /** Holds the acquisition thread back for a while after edge {@code at}, as a descheduled thread would be. */
    static final class SlowReader implements DataReadyLine {
        private final DataReadyLine line;
        private final VirtualTime time;
        private final long at;
        private final long delayNanos;

        SlowReader(DataReadyLine line, VirtualTime time, long at, long delayNanos) {
            this.line = line;
            this.time = time;
            this.at = at;
            this.delayNanos = delayNanos;
        }

        @Override
        public long awaitEdge(long timeoutNanos) throws InterruptedException {
            long n = line.awaitEdge(timeoutNanos);
            if (n == at) {
                time.sleepUntil(time.nanoTime() + delayNanos);
            }
            return n;
        }

        @Override
        public long edges() {
            return line.edges();
        }

        @Override
        public long lastEdgeNanos() {
            return line.lastEdgeNanos();
        }

        @Override
        public void close() {
            line.close();
        }
    }

    @Test
    void countsMissedDataReadyEdgesAsAGapWithoutFillingIt() {
        try (Scenario s = new Scenario()) {
            double[][] mv = ramp(2);
            Ads129xEmulator chip = new Ads129xEmulator(Ads129xModel.ADS1292R, s.time, new ArrayFeed(mv), 0, 3);
            EventLog log = new EventLog();
            Ads129xDriver driver = new Ads129xDriver(Ads129xConfig.defaults(Ads129xModel.ADS1292R, "ecg"), chip,
                    new SlowReader(chip.dataReadyLine(), s.time, 300, 9_000_000), s.time, log);
            Capture cap = s.start(driver);
            s.runFor(1);
            // edge 300 is sample 299; the thread wakes 9 ms later, when samples 300..303 are done, and reads 303
            assertThat(driver.gaps()).isEqualTo(1);
            assertThat(driver.lostSamples()).isEqualTo(3);
            assertThat(cap.indexOf(299)).isPositive();
            for (long missing = 300; missing < 303; missing++) {
                assertThat(cap.indexOf(missing)).as("sample %d must not be invented", missing).isEqualTo(-1);
            }
            int i = cap.indexOf(303);
            assertThat(cap.values[0][i]).isEqualTo(Math.rint(mv[0][303] / Ads129xModel.ADS1292R.lsbMillivolts(6))
                    * Ads129xModel.ADS1292R.lsbMillivolts(6));
            assertThat(log.of(TechnicalEventType.SAMPLES_LOST)).hasSize(1).first()
                    .satisfies(e -> assertThat(e.detail()).isEqualTo("3 sample(s) lost before sequence 303"));
        }
    }
}
