package org.cardiogate.sensor.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;

import org.cardiogate.signal.AamiClass;
import org.cardiogate.signal.Modality;
import org.cardiogate.signal.SampleBlock;
import org.junit.jupiter.api.Test;

class PhysiologySimulatorTest {

    private static final SimulatorConfig CLEAN = SimulatorConfig.defaults().withoutHrv().withoutNoise();

    @Test
    void sameSeedGivesTheSameSignalsWhateverTheBlockSizeAndPullOrder() {
        SimulatorConfig c = SimulatorConfig.defaults().withSeed(42);
        Recording small = Recording.of(new PhysiologySimulator(c), 30, 0.02);
        Recording odd = Recording.of(new PhysiologySimulator(c), 30, 0.137);
        Recording oneStreamAfterTheOther = Recording.of(new PhysiologySimulator(c), 30, 30);

        for (Recording r : List.of(odd, oneStreamAfterTheOther)) {
            assertThat(r.leadI).containsExactly(small.leadI);
            assertThat(r.leadII).containsExactly(small.leadII);
            assertThat(r.red).containsExactly(small.red);
            assertThat(r.ir).containsExactly(small.ir);
            assertThat(r.scg).containsExactly(small.scg);
            assertThat(r.beats).isEqualTo(small.beats);
        }
        Recording otherSeed = Recording.of(c.withSeed(43), 30);
        assertThat(otherSeed.leadII).isNotEqualTo(small.leadII);
        assertThat(otherSeed.beats.get(5).rrSeconds()).isNotEqualTo(small.beats.get(5).rrSeconds());
    }

    @Test
    void rrIsExactWithoutHrv() {
        Recording r = Recording.of(CLEAN.withHeartRate(75), 60);
        List<SimulatedBeat> beats = r.beats;
        assertThat(beats).hasSizeGreaterThan(70);
        for (int i = 1; i < beats.size(); i++) {
            SimulatedBeat b = beats.get(i);
            assertThat(b.kind()).isEqualTo(BeatKind.NORMAL);
            assertThat(b.rrSeconds()).isCloseTo(0.8, within(1e-9));
            assertThat(b.rTimeSeconds() - beats.get(i - 1).rTimeSeconds()).isCloseTo(0.8, within(1e-6));
            assertThat(b.rSample() - beats.get(i - 1).rSample()).isBetween(399L, 401L);
        }
    }

    @Test
    void meanRrMatchesTheHeartRateWithHrv() {
        Recording r = Recording.of(SimulatorConfig.defaults().withHeartRate(72), 300);
        double sum = 0;
        double sumSq = 0;
        int n = 0;
        for (SimulatedBeat b : r.beats.subList(1, r.beats.size())) {
            sum += b.rrSeconds();
            sumSq += b.rrSeconds() * b.rrSeconds();
            n++;
        }
        double mean = sum / n;
        double sd = Math.sqrt(sumSq / n - mean * mean);
        assertThat(mean).isCloseTo(60.0 / 72, within(0.01));
        // RSA of 30 ms amplitude and 20 ms jitter give a plausible resting SDNN
        assertThat(sd).isBetween(0.015, 0.06);
    }

    @Test
    void heartRateChangeAppliesFromTheNextScheduledBeat() {
        PhysiologySimulator sim = new PhysiologySimulator(CLEAN.withHeartRate(60));
        List<SimulatedBeat> beats = new ArrayList<>();
        sim.setListener(beats::add);
        SampleBlock block = new SampleBlock(sim.ecgStream(), 10);
        for (int i = 0; i < 500; i++) {
            sim.fill(block);
        }
        long changedAfter = sim.beatCount();
        sim.setHeartRate(120);
        for (int i = 0; i < 500; i++) {
            sim.fill(block);
        }
        assertThat(beats).hasSizeGreaterThan((int) changedAfter + 5);
        for (SimulatedBeat b : beats.subList(1, beats.size())) {
            double expected = b.index() < changedAfter ? 1.0 : 0.5;
            assertThat(b.rrSeconds()).as("RR of beat %d", b.index()).isCloseTo(expected, within(1e-9));
        }
        assertThatThrownBy(() -> sim.setHeartRate(350)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("heartRateBpm").hasMessageContaining("350");
    }

    @Test
    void groundTruthRIsTheMaximumOfLeadIiOfNormalAndVentricularBeats() {
        PhysiologySimulator sim = new PhysiologySimulator(SimulatorConfig.defaults().withoutNoise());
        sim.setEctopicRun(EctopicKind.PVC, 5);
        Recording r = Recording.of(sim, 60, 0.02);
        assertThat(r.completeBeats()).hasSizeGreaterThan(60)
                .anySatisfy(b -> assertThat(b.kind()).isEqualTo(BeatKind.PVC));
        for (SimulatedBeat b : r.completeBeats()) {
            int n = (int) b.rSample();
            assertThat(Recording.argMax(r.leadII, n - 40, n + 40)).as("%s", b).isEqualTo(n);
            assertThat(b.rTimeSeconds() * r.ecgRate).isCloseTo(n, within(0.5));
            if (b.kind() == BeatKind.NORMAL) {
                assertThat(r.leadII[n]).as("R amplitude on II").isBetween(1.0, 1.5);
            }
        }
    }

    @Test
    void groundTruthRStaysOnTheMaximumWithDefaultNoise() {
        Recording r = Recording.of(SimulatorConfig.defaults(), 60);
        assertThat(r.completeBeats()).hasSizeGreaterThan(60);
        for (SimulatedBeat b : r.completeBeats()) {
            int n = (int) b.rSample();
            assertThat(Recording.argMax(r.leadII, n - 40, n + 40)).as("%s", b).isBetween(n - 1, n + 1);
        }
    }

    @Test
    void injectedPvcIsPrematureWideWithoutPWaveAndFollowedByACompensatoryPause() {
        PhysiologySimulator sim = new PhysiologySimulator(CLEAN.withHeartRate(40));
        List<SimulatedBeat> beats = new ArrayList<>();
        sim.setListener(beats::add);
        SampleBlock ecg = new SampleBlock(sim.ecgStream(), 10);
        SampleBlock ppg = new SampleBlock(sim.ppgStream(), 2);
        double[] leadII = new double[20 * 500];
        double[] ir = new double[20 * 100];
        for (int i = 0; i < 1000; i++) {
            if (i == 300) {
                sim.injectEctopic(EctopicKind.PVC);
            }
            sim.fill(ecg);
            System.arraycopy(ecg.channel(1), 0, leadII, i * 10, 10);
            sim.fill(ppg);
            System.arraycopy(ppg.channel(1), 0, ir, i * 2, 2);
        }
        List<SimulatedBeat> pvcs = beats.stream().filter(b -> b.kind() == BeatKind.PVC).toList();
        assertThat(pvcs).hasSize(1);
        SimulatedBeat pvc = pvcs.get(0);
        SimulatedBeat before = beats.get((int) pvc.index() - 1);
        SimulatedBeat after = beats.get((int) pvc.index() + 1);
        assertThat(pvc.kind().aamiClass()).isEqualTo(AamiClass.V);
        assertThat(pvc.rrSeconds()).isLessThan(0.7 * 1.5);
        assertThat(after.kind()).isEqualTo(BeatKind.NORMAL);
        assertThat(after.rTimeSeconds() - before.rTimeSeconds()).as("fully compensatory").isCloseTo(3.0, within(1e-4));

        double normalWidth = widthAboveHalfPeak(leadII, (int) before.rSample(), 500);
        double pvcWidth = widthAboveHalfPeak(leadII, (int) pvc.rSample(), 500);
        assertThat(normalWidth).isBetween(0.015, 0.035);
        assertThat(pvcWidth).isGreaterThan(2 * normalWidth);

        assertThat(largestDeflection(leadII, (int) before.rSample(), 500)).as("P wave before a sinus beat")
                .isGreaterThan(0.1);
        assertThat(largestDeflection(leadII, (int) pvc.rSample(), 500)).as("no P wave before the PVC")
                .isLessThan(0.02);

        assertThat(pvc.pepSeconds()).isGreaterThan(before.pepSeconds() + 0.03);
        double normalPulse = pulseHeight(ir, before, 100);
        double pvcPulse = pulseHeight(ir, pvc, 100);
        assertThat(pvcPulse).isLessThan(0.5 * normalPulse);
        assertThat(pulseHeight(ir, after, 100)).as("post-extrasystolic potentiation").isGreaterThan(normalPulse);
    }

    @Test
    void injectedPacIsPrematureNarrowWithInvertedPWaveAndResetsTheSinusNode() {
        PhysiologySimulator sim = new PhysiologySimulator(CLEAN.withHeartRate(50));
        List<SimulatedBeat> beats = new ArrayList<>();
        sim.setListener(beats::add);
        SampleBlock ecg = new SampleBlock(sim.ecgStream(), 10);
        double[] leadII = new double[20 * 500];
        for (int i = 0; i < 1000; i++) {
            if (i == 300) {
                sim.injectEctopic(EctopicKind.PAC);
            }
            sim.fill(ecg);
            System.arraycopy(ecg.channel(1), 0, leadII, i * 10, 10);
        }
        SimulatedBeat pac = beats.stream().filter(b -> b.kind() == BeatKind.PAC).findFirst().orElseThrow();
        SimulatedBeat before = beats.get((int) pac.index() - 1);
        SimulatedBeat after = beats.get((int) pac.index() + 1);
        assertThat(pac.kind().aamiClass()).isEqualTo(AamiClass.S);
        assertThat(pac.rrSeconds()).isCloseTo(0.7 * 1.2, within(1e-6));
        assertThat(after.rrSeconds()).as("sinus reset").isCloseTo(1.2, within(1e-6));
        assertThat(pac.rrSeconds() + after.rrSeconds()).isLessThan(2 * 1.2 - 0.1);

        double normalWidth = widthAboveHalfPeak(leadII, (int) before.rSample(), 500);
        assertThat(widthAboveHalfPeak(leadII, (int) pac.rSample(), 500)).isCloseTo(normalWidth, within(0.004));
        int n = (int) pac.rSample();
        assertThat(Recording.min(leadII, n - 100, n - 40)).as("inverted ectopic P wave").isLessThan(-0.06);
    }

    @Test
    void bigeminyRunAlternatesNormalAndVentricularBeats() {
        PhysiologySimulator sim = new PhysiologySimulator(CLEAN);
        sim.setEctopicRun(EctopicKind.PVC, 2);
        Recording r = Recording.of(sim, 20, 0.02);
        List<BeatKind> kinds = r.beats.stream().skip(1).map(SimulatedBeat::kind).toList();
        assertThat(kinds).hasSizeGreaterThan(10);
        for (int i = 0; i < kinds.size(); i++) {
            assertThat(kinds.get(i)).isEqualTo(i % 2 == 0 ? BeatKind.PVC : BeatKind.NORMAL);
        }
        sim.clearEctopicRun();
    }

    @Test
    void ppgFootScgAoAndAcFollowTheRPeakByTheConfiguredDelays() {
        SimulatorConfig c = CLEAN.withHeartRate(60).withRates(500, 500, 500).withTiming(100, 230);
        Recording r = Recording.of(c, 30);
        assertThat(r.completeBeats()).hasSizeGreaterThan(20);
        for (SimulatedBeat b : r.completeBeats()) {
            assertThat(b.pepSeconds()).isCloseTo(0.100, within(1e-9));
            assertThat(b.patSeconds()).isCloseTo(0.230, within(1e-9));
            assertThat(b.lvetSeconds()).isCloseTo(0.311, within(1e-9));

            assertThat(ppgFoot(r.ir, b, 500) - b.ppgFootTimeSeconds()).as("foot of %s", b).isCloseTo(0, within(0.004));
            int peak = Recording.argMax(r.ir, Recording.index(b.ppgFootTimeSeconds(), 500),
                    Recording.index(b.ppgFootTimeSeconds() + 0.3, 500));
            assertThat(peak / 500.0).isCloseTo(b.ppgPeakTimeSeconds(), within(0.002));

            int rn = (int) b.rSample();
            int ao = Recording.argMax(r.scg, rn, rn + 125);
            assertThat(ao / 500.0 - b.rTimeSeconds()).as("measured PEP").isCloseTo(0.100, within(0.002));
            int ac = Recording.argMax(r.scg, ao + 75, ao + 250);
            assertThat((ac - ao) / 500.0).as("measured LVET").isCloseTo(0.311, within(0.003));
        }
    }

    @Test
    void mechanicalDelaysShortenWithHeartRateAndTheFootIsFoundAtOneHundredHertz() {
        SimulatorConfig c = CLEAN.withHeartRate(100);
        Recording r = Recording.of(c, 30);
        for (SimulatedBeat b : r.completeBeats()) {
            assertThat(b.pepSeconds()).isCloseTo(0.100 - 0.0004 * 40, within(1e-9));
            assertThat(b.lvetSeconds()).isCloseTo(0.413 - 0.0017 * 100, within(1e-9));
            assertThat(b.patSeconds()).isCloseTo(0.230 - 0.0004 * 40, within(1e-9));
            assertThat(ppgFoot(r.ir, b, 100) - b.ppgFootTimeSeconds()).isCloseTo(0, within(0.0101));
        }
    }

    @Test
    void ppgChannelsCarryDcPulseAndTheConfiguredSaturation() {
        Recording r = Recording.of(CLEAN.withSpo2(94), 20);
        double acRed = 0;
        double dcRed = 0;
        double acIr = 0;
        double dcIr = 0;
        for (SimulatedBeat b : r.completeBeats()) {
            int foot = Recording.index(b.ppgFootTimeSeconds(), 100);
            int peak = Recording.index(b.ppgPeakTimeSeconds(), 100);
            acRed += r.red[peak] - r.red[foot];
            dcRed += r.red[foot];
            acIr += r.ir[peak] - r.ir[foot];
            dcIr += r.ir[foot];
        }
        double ratio = (acRed / dcRed) / (acIr / dcIr);
        assertThat(110 - 25 * ratio).isCloseTo(94, within(1.0));
        assertThat(acIr / dcIr).as("perfusion index").isBetween(0.005, 0.03);
    }

    @Test
    void generationAllocatesNothingInSteadyState() {
        PhysiologySimulator sim = new PhysiologySimulator(SimulatorConfig.defaults());
        sim.setEctopicRun(EctopicKind.PVC, 7);
        SampleBlock ecg = new SampleBlock(sim.ecgStream(), 10);
        SampleBlock ppg = new SampleBlock(sim.ppgStream(), 2);
        SampleBlock scg = new SampleBlock(sim.scgStream(), 10);
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        // warm up past the recycling of the beat table (512 beats, about 430 s at 72 bpm) so every path is compiled
        for (int i = 0; i < 60_000; i++) {
            fillAll(sim, ecg, ppg, scg, i);
        }
        long before = threads.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < 5_000; i++) {
            fillAll(sim, ecg, ppg, scg, i);
        }
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertThat(allocated).isZero();
    }

    private static void fillAll(PhysiologySimulator sim, SampleBlock ecg, SampleBlock ppg, SampleBlock scg, int i) {
        sim.fill(ecg, 10, i);
        sim.fill(ppg, 2, i);
        sim.fill(scg, 10, i);
    }

    @Test
    void aStreamPulledFarBehindTheOthersIsRefused() {
        PhysiologySimulator sim = new PhysiologySimulator(CLEAN.withHeartRate(300));
        SampleBlock ecg = new SampleBlock(sim.ecgStream(), 500);
        for (int i = 0; i < 120; i++) {
            sim.fill(ecg);
        }
        assertThatThrownBy(() -> sim.fill(new SampleBlock(sim.ppgStream(), 10)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("'ppg'").hasMessageContaining("lags");
    }

    @Test
    void describesItsStreams() {
        PhysiologySimulator sim = new PhysiologySimulator(SimulatorConfig.defaults().withRates(250, 200, 1000));
        assertThat(sim.streams()).extracting(d -> d.streamId()).containsExactly("ecg", "ppg", "scg");
        assertThat(sim.ecgStream().modality()).isEqualTo(Modality.ECG);
        assertThat(sim.ecgStream().channels()).extracting(ch -> ch.name() + "/" + ch.unit())
                .containsExactly("I/mV", "II/mV");
        assertThat(sim.ppgStream().channels()).extracting(ch -> ch.name() + "/" + ch.unit())
                .containsExactly("red/au", "ir/au");
        assertThat(sim.scgStream().channels()).extracting(ch -> ch.name() + "/" + ch.unit()).containsExactly("z/mg");
        assertThat(sim.ecgStream().sensor()).isEqualTo("simulator");
        assertThat(sim.ppgStream().nominalRateHz()).isEqualTo(200);
        assertThat(sim.scgStream().nominalRateHz()).isEqualTo(1000);
        SampleBlock block = new SampleBlock(sim.scgStream(), 10);
        sim.fill(block);
        sim.fill(block);
        assertThat(block.firstSequence()).isEqualTo(10);
        assertThat(block.timestampNanos()).isEqualTo(10_000_000L);
    }

    /** Seconds during which the signal stays above half its value at the peak sample. */
    private static double widthAboveHalfPeak(double[] x, int peak, double rate) {
        double half = x[peak] / 2;
        int a = peak;
        while (x[a - 1] > half) {
            a--;
        }
        int b = peak;
        while (x[b + 1] > half) {
            b++;
        }
        return (b - a + 1) / rate;
    }

    /** Largest absolute value of lead II from 300 ms to 80 ms before the R peak (where a P wave lives). */
    private static double largestDeflection(double[] x, int r, double rate) {
        double m = 0;
        for (int i = r - (int) (0.3 * rate); i <= r - (int) (0.08 * rate); i++) {
            m = Math.max(m, Math.abs(x[i]));
        }
        return m;
    }

    private static double pulseHeight(double[] ir, SimulatedBeat b, double rate) {
        int foot = Recording.index(b.ppgFootTimeSeconds(), rate);
        return Recording.max(ir, foot, foot + (int) (0.3 * rate)) - ir[foot];
    }

    /** PPG foot measured as the largest second difference within 60 ms of the truth. */
    private static double ppgFoot(double[] x, SimulatedBeat b, double rate) {
        int c = Recording.index(b.ppgFootTimeSeconds(), rate);
        int w = (int) Math.ceil(0.06 * rate);
        int best = c;
        double bestD2 = Double.NEGATIVE_INFINITY;
        for (int i = c - w; i <= c + w; i++) {
            double d2 = x[i + 1] - 2 * x[i] + x[i - 1];
            if (d2 > bestD2) {
                bestD2 = d2;
                best = i;
            }
        }
        return best / rate;
    }
}
