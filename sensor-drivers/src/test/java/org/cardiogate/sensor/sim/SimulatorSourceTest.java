package org.cardiogate.sensor.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

import org.cardiogate.signal.BlockRing;
import org.cardiogate.signal.ManualClock;
import org.cardiogate.signal.SampleBlock;
import org.cardiogate.signal.SequenceTracker;
import org.cardiogate.signal.StreamDescriptor;
import org.junit.jupiter.api.Test;

class SimulatorSourceTest {
    private static final long START = 7_000_000_000L;

    @Test
    void publishesContiguousBlocksWithNominalTimestampsAndTheSimulatorsSamples() throws Exception {
        SimulatorConfig config = SimulatorConfig.defaults().withSeed(9);
        ManualClock clock = new ManualClock(START);
        List<SimulatedBeat> beats = new ArrayList<>();
        PhysiologySimulator sim = new PhysiologySimulator(config);
        sim.setListener(beats::add);
        try (SimulatorSource source = new SimulatorSource(sim, clock, SimulatorSource.Pacing.UNPACED_LOSSLESS, 8,
                10.0)) {
            source.start();
            assertThat(source.startNanos()).isEqualTo(START);
            Recording reference = Recording.of(new PhysiologySimulator(config), 10, 0.02);
            double[][] expected = {reference.leadII, reference.ir, reference.scg};
            int[] channel = {1, 1, 0};
            SequenceTracker[] trackers = {new SequenceTracker(1000), new SequenceTracker(1000), new SequenceTracker(1000)};
            long[] received = new long[3];
            int[] blocks = new int[3];
            long deadline = System.nanoTime() + 20_000_000_000L;
            while (!(source.isFinished() && allEmpty(source)) && System.nanoTime() < deadline) {
                for (int s = 0; s < 3; s++) {
                    StreamDescriptor d = source.streams().get(s);
                    BlockRing ring = source.ring(d.streamId());
                    SampleBlock b;
                    while ((b = ring.peek()) != null) {
                        assertThat(trackers[s].accept(b.firstSequence(), b.length()))
                                .isEqualTo(SequenceTracker.Result.CONTIGUOUS);
                        assertThat(b.length()).isEqualTo(source.blockLength(d.streamId()));
                        assertThat(b.timestampNanos())
                                .isEqualTo(START + Math.round(b.firstSequence() * 1e9 / d.nominalRateHz()));
                        for (int i = 0; i < b.length(); i++) {
                            assertThat(b.get(channel[s], i)).isEqualTo(expected[s][(int) b.firstSequence() + i]);
                        }
                        received[s] += b.length();
                        blocks[s]++;
                        ring.release();
                    }
                }
                Thread.onSpinWait();
            }
            assertThat(source.failure()).isNull();
            assertThat(received).containsExactly(5000, 1000, 5000);
            assertThat(blocks).containsExactly(500, 500, 500);
            assertThat(source.ring("ecg").overruns()).isZero();
            assertThat(beats).isEqualTo(reference.beats.subList(0, beats.size()));
        }
    }

    @Test
    void realTimePacingPublishesABlockOnlyOnceTheClockReachesItsLastSample() throws Exception {
        ManualClock clock = new ManualClock(START);
        try (SimulatorSource source = new SimulatorSource(SimulatorConfig.defaults(), clock)) {
            source.start();
            clock.advanceNanos(17_999_999L);
            Thread.sleep(30);
            assertThat(source.ring("ecg").size()).isZero();
            clock.advanceNanos(1);
            awaitTrue(() -> source.samplesProduced("ecg") == 10);
            clock.set(START + 1_000_000_000L);
            awaitTrue(() -> source.samplesProduced("ecg") == 500 && source.samplesProduced("ppg") == 100
                    && source.samplesProduced("scg") == 500);
            Thread.sleep(30);
            assertThat(source.samplesProduced("ecg")).isEqualTo(500);
            assertThat(source.ring("ecg").size()).isEqualTo(50);
            assertThat(source.ring("ppg").size()).isEqualTo(50);
            assertThat(source.ring("ecg").overruns()).isZero();
        }
    }

    @Test
    void aConsumerThatDoesNotDrainSeesOverrunsAsASequenceGap() throws Exception {
        ManualClock clock = new ManualClock(START);
        try (SimulatorSource source = new SimulatorSource(SimulatorConfig.defaults(), clock)) {
            source.start();
            clock.advanceNanos(2_000_000_000L);
            awaitTrue(() -> source.samplesProduced("ecg") == 1000);
            BlockRing ring = source.ring("ecg");
            assertThat(ring.overruns()).isEqualTo(100 - 64);
            SequenceTracker tracker = new SequenceTracker(100_000);
            SampleBlock b;
            while ((b = ring.peek()) != null) {
                assertThat(tracker.accept(b.firstSequence(), b.length())).isEqualTo(SequenceTracker.Result.CONTIGUOUS);
                ring.release();
            }
            assertThat(tracker.expected()).isEqualTo(640);
            clock.advanceNanos(20_000_000L);
            awaitTrue(() -> ring.size() == 1);
            b = ring.peek();
            assertThat(tracker.accept(b.firstSequence(), b.length())).isEqualTo(SequenceTracker.Result.GAP);
            assertThat(tracker.lastGapLength()).isEqualTo(360);
            assertThat(b.timestampNanos()).isEqualTo(START + 2_000_000_000L);
            ring.release();
        }
    }

    @Test
    void closeStopsAndJoinsTheAcquisitionThread() throws Exception {
        SimulatorSource source = new SimulatorSource(SimulatorConfig.defaults(),
                org.cardiogate.signal.MonotonicClock.SYSTEM);
        source.start();
        awaitTrue(() -> acquisitionThreadAlive());
        source.simulator().setHeartRate(90);
        source.simulator().injectEctopic(EctopicKind.PAC);
        source.close();
        assertThat(acquisitionThreadAlive()).isFalse();
        source.close();
        assertThatThrownBy(source::start).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> source.ring("resp")).hasMessageContaining("'resp'");
    }

    private static boolean acquisitionThreadAlive() {
        return Thread.getAllStackTraces().keySet().stream()
                .anyMatch(t -> t.getName().equals(SimulatorSource.THREAD_NAME) && t.isAlive());
    }

    private static boolean allEmpty(SimulatorSource source) {
        return source.streams().stream().allMatch(d -> source.ring(d.streamId()).size() == 0);
    }

    private static void awaitTrue(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 10 s");
            }
            Thread.sleep(1);
        }
    }
}
