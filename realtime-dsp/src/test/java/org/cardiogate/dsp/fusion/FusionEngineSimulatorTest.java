package org.cardiogate.dsp.fusion;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import org.cardiogate.sensor.sim.SimulatorConfig;
import org.junit.jupiter.api.Test;

class FusionEngineSimulatorTest {

    @Test
    void findsAoAcAndPulseFootWithinFiveMillisecondsOfTheTruth() {
        SimulatedFusion f = new SimulatedFusion(SimulatorConfig.defaults());
        f.run(180, true);
        f.engine.finish();
        SimulatedFusion.Scores s = f.score();
        System.out.println("simulator clean: " + s);
        assertThat(s.expected()).isGreaterThan(200);
        assertThat(s.aoMedianMs()).isLessThanOrEqualTo(5);
        assertThat(s.acMedianMs()).isLessThanOrEqualTo(5);
        assertThat(s.footMedianMs()).isLessThanOrEqualTo(5);
        assertThat(s.aoSe()).isGreaterThanOrEqualTo(99);
        assertThat(s.aoPp()).isGreaterThanOrEqualTo(99);
    }

    @Test
    void keepsAoWithinTenMillisecondsUnderMechanicalAndEcgNoise() {
        SimulatorConfig noisy = SimulatorConfig.defaults().withMechanicalNoise(60, 3).withEcgNoise(0.2, 0.05, 0.05);
        SimulatedFusion f = new SimulatedFusion(noisy);
        f.run(120, true);
        f.engine.finish();
        SimulatedFusion.Scores s = f.score();
        System.out.println("simulator noisy: " + s);
        assertThat(s.aoSe()).isGreaterThanOrEqualTo(97);
        assertThat(s.aoMedianMs()).isLessThanOrEqualTo(10);
    }

    @Test
    void underMotionKeepsAoAndMarksTheMisplacedPulseFeetAsLowQuality() {
        SimulatorConfig noisy = SimulatorConfig.defaults().withMechanicalNoise(60, 3).withEcgNoise(0.2, 0.05, 0.05);
        SimulatedFusion f = new SimulatedFusion(noisy).motion(new SimulatedFusion.Motion(30, 8, 1800, 25, 7));
        f.run(150, true);
        f.engine.finish();
        SimulatedFusion.Scores s = f.score();
        System.out.println("simulator noisy + motion: " + s);
        assertThat(s.aoSe()).isGreaterThanOrEqualTo(97);
        assertThat(s.aoMedianMs()).isLessThanOrEqualTo(10);
        assertThat(s.footSe()).as("beats with the PPG foot within 50 ms").isGreaterThanOrEqualTo(75);
        assertThat(s.footWrong()).as("motion misplaces some feet").isPositive();
        assertThat(s.footWrongLowQuality()).as("misplaced feet with a low quality")
                .isGreaterThanOrEqualTo((int) Math.ceil(0.8 * s.footWrong()));
        assertThat(s.footRightLowQuality()).as("good feet marked low quality").isLessThan(s.aoFound() / 10);
    }

    @Test
    void carriesThePrQrsAndQtOfTheEcgDelineation() {
        SimulatedFusion f = new SimulatedFusion(SimulatorConfig.defaults());
        f.run(60, true);
        f.engine.finish();
        long ecgBeats = f.beats.stream().filter(b -> b.rNanos() != FusedBeat.NONE).count();
        long delineated = f.beats.stream().filter(b -> !Double.isNaN(b.qrsMs()) && !Double.isNaN(b.qtMs())).count();
        assertThat(delineated).isGreaterThanOrEqualTo(ecgBeats - 1);
        double qt = f.beats.stream().mapToDouble(FusedBeat::qtMs).filter(d -> !Double.isNaN(d)).average().orElse(0);
        double pr = f.beats.stream().mapToDouble(FusedBeat::prMs).filter(d -> !Double.isNaN(d)).average().orElse(0);
        assertThat(qt).as("mean QT").isBetween(300.0, 450.0);
        assertThat(pr).as("mean PR").isBetween(100.0, 220.0);
    }

    @Test
    void heartRateMovesToAMechanicalSourceWithinTenSecondsOfAnEcgCutAndBack() {
        SimulatedFusion f = new SimulatedFusion(SimulatorConfig.defaults());
        f.run(30, true);
        assertThat(f.engine.heartRateSource()).isEqualTo(HeartRateSource.ECG);
        int before = f.sources.size();
        f.run(30, false);
        int firstMechanical = -1;
        for (int i = before; i < f.sources.size(); i++) {
            if (f.sources.get(i) != HeartRateSource.ECG) {
                firstMechanical = i;
                break;
            }
        }
        assertThat(firstMechanical).as("a non-ECG heart rate after the cut").isNotNegative();
        assertThat(f.rates.get(firstMechanical)[0]).as("time of the switch").isLessThan(30 + 10);
        assertThat(f.engine.heartRateSource()).isIn(HeartRateSource.SCG, HeartRateSource.PPG);
        assertThat(f.engine.heartRateBpm()).isBetween(60.0, 85.0);
        long scgBeats = f.beats.stream().filter(b -> b.anchor() == HeartRateSource.SCG).count();
        assertThat(scgBeats).as("beats found in the SCG while the ECG is cut").isGreaterThan(25);
        int afterCut = f.sources.size();
        f.run(20, true);
        int back = -1;
        for (int i = afterCut; i < f.sources.size(); i++) {
            if (f.sources.get(i) == HeartRateSource.ECG) {
                back = i;
                break;
            }
        }
        assertThat(back).as("the ECG heart rate after the ECG returns").isNotNegative();
        assertThat(f.rates.get(back)[0]).isLessThan(60 + 10);
        assertThat(f.engine.heartRateSource()).isEqualTo(HeartRateSource.ECG);
    }

    @Test
    void allocatesNothingPerBlockInSteadyState() {
        SimulatedFusion warm = new SimulatedFusion(SimulatorConfig.defaults());
        warm.recording(false);
        warm.run(60, true);
        SimulatedFusion f = new SimulatedFusion(SimulatorConfig.defaults().withSeed(2));
        f.recording(false);
        f.run(30, true);
        f.sim.setListener(null);
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();
        f.run(60, true);
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertThat(f.engine.beatCount()).isGreaterThan(100);
        assertThat(allocated).as("bytes allocated over 60 s of three streams").isLessThan(1024);
    }
}
