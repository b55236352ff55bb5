package org.cardiogate.sensor.timing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongUnaryOperator;

import org.cardiogate.sensor.ads129x.Ads129xConfig;
import org.cardiogate.sensor.ads129x.Ads129xDriver;
import org.cardiogate.sensor.ads129x.Ads129xModel;
import org.cardiogate.sensor.emulator.Ads129xEmulator;
import org.cardiogate.sensor.emulator.HostClockFeed;
import org.cardiogate.sensor.emulator.Lsm6dsoEmulator;
import org.cardiogate.sensor.emulator.Max30102Emulator;
import org.cardiogate.sensor.emulator.SimulatorFeed;
import org.cardiogate.sensor.lsm6dso.Lsm6dsoConfig;
import org.cardiogate.sensor.lsm6dso.Lsm6dsoDriver;
import org.cardiogate.sensor.max3010x.Max30102Config;
import org.cardiogate.sensor.max3010x.Max30102Driver;
import org.cardiogate.sensor.sim.PhysiologySimulator;
import org.cardiogate.sensor.sim.SimulatedBeat;
import org.cardiogate.sensor.sim.SimulatorConfig;
import org.cardiogate.sensor.testkit.Capture;
import org.cardiogate.sensor.testkit.EventLog;
import org.cardiogate.sensor.testkit.Scenario;
import org.cardiogate.signal.Modality;
import org.junit.jupiter.api.Test;

/**
 * An emulated ADS1298 (8 leads, 500 SPS, +150 ppm, DRDY latency 5..60 µs), MAX30102 (100 Hz FIFO, -300 ppm) and
 * LSM6DSO (833 Hz FIFO with timestamps, +80 ppm) on one virtual timeline, each fed by its own simulator with the same
 * seed through a {@link HostClockFeed}, so all three see the same simulated heart at the same host times. For every
 * beat the simulator's ground truth (R peak, PPG foot, SCG aortic opening) is compared with the driver timestamp of the
 * sample nearest to it; the alignment error between two streams is the difference of their errors (what a pulse
 * arrival time or pre-ejection period measured across the two chips would be off by).
 */
class MultiChipAlignmentTest {
    static final double SIM_RATE = 2000;
    static final long ORIGIN = Scenario.T0;

    static SimulatorConfig simulator() {
        return SimulatorConfig.defaults().withSeed(42).withRates(SIM_RATE, SIM_RATE, SIM_RATE);
    }

    /** Capture index of the sample whose true time is nearest {@code t}. */
    static int nearest(Capture cap, LongUnaryOperator truth, long t) {
        int lo = 0;
        int hi = cap.n - 1;
        while (hi - lo > 1) {
            int mid = (lo + hi) >>> 1;
            if (truth.applyAsLong(cap.seq[mid]) <= t) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        return Math.abs(truth.applyAsLong(cap.seq[lo]) - t) <= Math.abs(truth.applyAsLong(cap.seq[hi]) - t) ? lo : hi;
    }

    /** Driver timestamp of the sample nearest the event minus the event's true time, ns. */
    static long eventError(Capture cap, LongUnaryOperator truth, long t) {
        return cap.timestamp[nearest(cap, truth, t)] - t;
    }

    /** Driver timestamp minus the true time of that same sample, ns (no sampling quantisation). */
    static long timestampError(Capture cap, LongUnaryOperator truth, long t) {
        int i = nearest(cap, truth, t);
        return cap.timestamp[i] - truth.applyAsLong(cap.seq[i]);
    }

    @Test
    void alignsEcgPpgAndScgFromThreeChipsWithinOneSamplePeriodOfTheSlowestStream() {
        try (Scenario s = new Scenario()) {
            PhysiologySimulator ecgSim = new PhysiologySimulator(simulator());
            List<SimulatedBeat> beats = new ArrayList<>();
            ecgSim.setListener(b -> {
                synchronized (beats) {
                    beats.add(b);
                }
            });
            HostClockFeed ecgFeed = new HostClockFeed(SimulatorFeed.ecgLeads(ecgSim, 8), SIM_RATE, ORIGIN);
            Ads129xEmulator ads = new Ads129xEmulator(Ads129xModel.ADS1298, s.time, ecgFeed, 150, 5);
            ecgFeed.bind(ads::conversionNanos);

            HostClockFeed ppgFeed = new HostClockFeed(new SimulatorFeed(new PhysiologySimulator(simulator()),
                    Modality.PPG, new double[][] {{1, 0}, {0, 1}}, new double[2]), SIM_RATE, ORIGIN);
            Max30102Emulator max = new Max30102Emulator(s.time, ppgFeed, -300);
            ppgFeed.bind(max::sampleNanos);

            HostClockFeed scgFeed = new HostClockFeed(Lsm6dsoEmulator.scgFeed(new PhysiologySimulator(simulator()),
                    Lsm6dsoConfig.Axis.Z, false), SIM_RATE, ORIGIN);
            Lsm6dsoEmulator imu = new Lsm6dsoEmulator(s.time, scgFeed, 80);
            scgFeed.bind(imu::sampleNanos);

            Capture ecg = s.start(new Ads129xDriver(Ads129xConfig.defaults(Ads129xModel.ADS1298, "ecg"), ads,
                    ads.dataReadyLine(), s.time, new EventLog()));
            s.runFor(0.0031);
            Capture ppg = s.start(new Max30102Driver(Max30102Config.defaults("ppg"), max, s.time, new EventLog()));
            s.runFor(0.0173);
            Capture scg = s.start(new Lsm6dsoDriver(Lsm6dsoConfig.defaults("scg"), imu, s.time, new EventLog()));
            s.runFor(90);

            LongUnaryOperator ecgTruth = ads::conversionNanos;
            LongUnaryOperator ppgTruth = max::sampleNanos;
            LongUnaryOperator scgTruth = imu::sampleNanos;
            long worstEcgPpg = 0;
            long worstEcgScg = 0;
            long worstPpgScg = 0;
            long worstStampEcgPpg = 0;
            long worstStampEcgScg = 0;
            long[] worstEvent = new long[3];
            int used = 0;
            List<SimulatedBeat> truth;
            synchronized (beats) {
                truth = List.copyOf(beats);
            }
            for (SimulatedBeat b : truth) {
                long r = ORIGIN + Math.round(b.rTimeSeconds() * 1e9);
                long foot = ORIGIN + Math.round(b.ppgFootTimeSeconds() * 1e9);
                long ao = ORIGIN + Math.round(b.aoTimeSeconds() * 1e9);
                // after the 60 s drift windows have settled, and inside every capture
                if (r < ORIGIN + 30_000_000_000L || foot > s.time.nanoTime() - 1_000_000_000L) {
                    continue;
                }
                long eE = eventError(ecg, ecgTruth, r);
                long eP = eventError(ppg, ppgTruth, foot);
                long eS = eventError(scg, scgTruth, ao);
                worstEvent[0] = Math.max(worstEvent[0], Math.abs(eE));
                worstEvent[1] = Math.max(worstEvent[1], Math.abs(eP));
                worstEvent[2] = Math.max(worstEvent[2], Math.abs(eS));
                worstEcgPpg = Math.max(worstEcgPpg, Math.abs(eP - eE));
                worstEcgScg = Math.max(worstEcgScg, Math.abs(eS - eE));
                worstPpgScg = Math.max(worstPpgScg, Math.abs(eP - eS));
                long tE = timestampError(ecg, ecgTruth, r);
                worstStampEcgPpg = Math.max(worstStampEcgPpg, Math.abs(timestampError(ppg, ppgTruth, foot) - tE));
                worstStampEcgScg = Math.max(worstStampEcgScg, Math.abs(timestampError(scg, scgTruth, ao) - tE));
                used++;
            }
            System.out.printf("three chips, %d beats after 30 s: event error max ECG %.2f ms, PPG %.2f ms, SCG %.2f ms;"
                    + " alignment error max ECG-PPG %.2f ms, ECG-SCG %.2f ms, PPG-SCG %.2f ms (slowest period 10 ms);"
                    + " timestamp-only alignment max ECG-PPG %.2f ms, ECG-SCG %.2f ms%n", used,
                    worstEvent[0] / 1e6, worstEvent[1] / 1e6, worstEvent[2] / 1e6, worstEcgPpg / 1e6,
                    worstEcgScg / 1e6, worstPpgScg / 1e6, worstStampEcgPpg / 1e6, worstStampEcgScg / 1e6);
            assertThat(used).isGreaterThan(50);
            // the target is one period of the slowest stream (PPG, 10 ms); the event error is dominated by where the
            // 100 Hz samples fall (up to half a period), the timestamps themselves agree to well under a millisecond
            assertThat(worstEcgPpg).isLessThan(6_000_000L);
            assertThat(worstPpgScg).isLessThan(6_000_000L);
            assertThat(worstEcgScg).isLessThan(2_000_000L);
            assertThat(worstStampEcgPpg).isLessThan(1_000_000L);
            assertThat(worstStampEcgScg).isLessThan(300_000L);
        }
    }
}
