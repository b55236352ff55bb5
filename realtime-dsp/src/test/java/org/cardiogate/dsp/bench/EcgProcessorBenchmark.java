package org.cardiogate.dsp.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.cardiogate.dsp.EcgBeatListener;
import org.cardiogate.dsp.EcgProcessor;
import org.cardiogate.signal.Channel;
import org.cardiogate.signal.Modality;
import org.cardiogate.signal.SampleBlock;
import org.cardiogate.signal.StreamDescriptor;
import org.cardiogate.signal.wfdb.WfdbRecord;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Per-sample cost of {@link EcgProcessor#process} on one minute of MIT-BIH 208 (first signal, 360 Hz, ventricular
 * ectopy), fed in blocks of 36 samples (100 ms), with and without signal quality, one lead. Each operation is one
 * sample. Not a test; after {@code ./mvnw -o -q -pl realtime-dsp test-compile}, from {@code realtime-dsp/}:
 * {@code java -cp <classes, test-classes, signal-model, HdrHistogram, jmh-core, jopt-simple, commons-math3 jars>
 * org.openjdk.jmh.Main EcgProcessorBenchmark}. The record is read from {@code -Dcardiogate.shared} (default
 * {@code ../../shared}).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class EcgProcessorBenchmark {
    private static final int BLOCK = 36;
    private static final int SAMPLES = 360 * 60;

    @Param({"true", "false"})
    public boolean quality;

    private double[] signal;
    private EcgProcessor processor;
    private SampleBlock block;
    private long sequence;
    private Blackhole sink;

    @Setup(Level.Trial)
    public void read(Blackhole blackhole) throws Exception {
        Path record = Path.of(System.getProperty("cardiogate.shared", "../../shared"), "data", "mitdb", "208");
        if (!Files.exists(record.resolveSibling("208.hea"))) {
            throw new IllegalStateException("MIT-BIH record 208 not found at " + record
                    + " (set -Dcardiogate.shared to the folder holding data/mitdb)");
        }
        signal = Arrays.copyOf(WfdbRecord.read(record).physical(0), SAMPLES);
        sink = blackhole;
        StreamDescriptor s = new StreamDescriptor("ecg", "bench", Modality.ECG, List.of(new Channel("MLII", "mV")),
                360);
        EcgBeatListener listener = (sample, t, rr, hr, amplitude) -> sink.consume(sample);
        EcgProcessor.Builder b = EcgProcessor.builder(s, listener);
        if (!quality) {
            b.withoutQuality();
        }
        processor = b.build();
        block = new SampleBlock(s, BLOCK);
    }

    /** One minute of signal, block by block; the score is per sample. */
    @Benchmark
    @OperationsPerInvocation(SAMPLES)
    public void processOneMinute() {
        for (int off = 0; off < SAMPLES; off += BLOCK) {
            block.begin(sequence, 0);
            System.arraycopy(signal, off, block.channel(0), 0, BLOCK);
            block.setLength(BLOCK);
            processor.process(block);
            sequence += BLOCK;
        }
    }
}
