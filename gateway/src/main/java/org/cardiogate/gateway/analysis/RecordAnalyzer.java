package org.cardiogate.gateway.analysis;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.cardiogate.dsp.EcgBeatListener;
import org.cardiogate.dsp.EcgProcessor;
import org.cardiogate.dsp.quality.QualityFlags;
import org.cardiogate.inference.RhythmLimits;
import org.cardiogate.inference.beat.BeatClassifier;
import org.cardiogate.inference.beat.BeatClassifierException;
import org.cardiogate.inference.rhythm.AfDetector;
import org.cardiogate.inference.rhythm.EctopyMonitor;
import org.cardiogate.inference.rhythm.OfflineRhythmAnalysis;
import org.cardiogate.inference.RhythmMonitor;
import org.cardiogate.signal.AamiClass;
import org.cardiogate.signal.CardiacEvent;
import org.cardiogate.signal.Channel;
import org.cardiogate.signal.EventType;
import org.cardiogate.signal.Modality;
import org.cardiogate.signal.SampleBlock;
import org.cardiogate.signal.StreamDescriptor;
import org.cardiogate.signal.wfdb.WfdbRecord;

/**
 * Offline analysis of one recording with the live loop's code: the record is cut into blocks and fed to the same
 * {@link EcgProcessor} and {@link RhythmMonitor} the gateway runs, so the beats are those the gateway would have
 * reported live. Writes the contract files {@code <record>.csv} ({@code sample,symbol}) and
 * {@code <record>.events.csv} ({@code onset_sample,offset_sample,type}).
 */
public final class RecordAnalyzer {
    /** Samples per block fed to the processor; results do not depend on it (tested). */
    private final int blockSamples;
    private final RhythmLimits limits;
    /** The beat classifier, or null: beats are then labelled N and AF/VT are not looked for with V beats. */
    private final BeatClassifier classifier;

    public RecordAnalyzer(int blockSamples, RhythmLimits limits) {
        this(blockSamples, limits, null);
    }

    /**
     * @param classifier the neural beat classifier ({@code null}: beats labelled N); not closed by the analyzer
     */
    public RecordAnalyzer(int blockSamples, RhythmLimits limits, BeatClassifier classifier) {
        this.classifier = classifier;
        if (blockSamples <= 0) {
            throw new IllegalArgumentException("block size must be positive, got " + blockSamples);
        }
        this.blockSamples = blockSamples;
        this.limits = limits;
    }

    /** The result for one record. */
    public record Result(String record, double samplingFrequency, long samples, long[] beatSamples,
                         AamiClass[] beatClasses, List<CardiacEvent> events) {
        public int beatCount() {
            return beatSamples.length;
        }
    }

    /**
     * Analyses the first ECG signal of a WFDB record (path without extension, or with {@code .hea}): the first whose
     * description names a lead (MLII, II, V1, ...) or ECG; the first signal when none does (MIT-BIH's convention). A
     * record such as BIDMC's (RESP, PLETH, V, AVR, II) is thus analysed on V, not on its respiration.
     */
    public Result analyze(Path record) throws IOException {
        WfdbRecord rec = WfdbRecord.read(record);
        if (rec.signalCount() == 0 || rec.length() == 0) {
            throw new IOException(record + ": the record has no samples to analyse");
        }
        int ecg = 0;
        for (int s = 0; s < rec.signalCount(); s++) {
            if (org.cardiogate.dsp.fusion.io.WfdbInputs.isEcgDescription(rec.header().signal(s).description())) {
                ecg = s;
                break;
            }
        }
        String lead = rec.header().signal(ecg).description();
        StreamDescriptor stream = new StreamDescriptor("ecg", "wfdb:" + rec.name(), Modality.ECG,
                List.of(new Channel(lead == null || lead.isBlank() ? "ECG" : lead, rec.header().signal(ecg).units())),
                rec.samplingFrequency());
        return analyze(rec.name(), stream, rec.physical(ecg));
    }

    /** Analyses one lead given as an array of physical values (mV) at the stream's nominal rate. */
    public Result analyze(String name, StreamDescriptor stream, double[] signal) {
        double fs = stream.nominalRateHz();
        long periodNs = Math.round(1e9 / fs);
        List<CardiacEvent> events = new ArrayList<>();
        List<CardiacEvent> noise = new ArrayList<>();
        RhythmMonitor rhythm = new RhythmMonitor(stream.streamId(), fs, limits, s -> s * periodNs, e -> {
            if (!e.isOngoing()) {
                events.add(e);
            }
        });
        long[][] beats = {new long[1024]};
        int[] n = {0};
        EcgProcessor processor = new EcgProcessor(stream, 0, new EcgBeatListener() {
            @Override
            public void onBeat(long sample, long timestampNanos, double rrSeconds, double heartRateBpm, double amplitude) {
                if (n[0] == beats[0].length) {
                    beats[0] = Arrays.copyOf(beats[0], n[0] * 2);
                }
                beats[0][n[0]++] = sample;
                rhythm.onBeat(sample, heartRateBpm);
            }

            @Override
            public void onNoise(long startSample, long endSample, int flags) {
                noise.add(new CardiacEvent(stream.streamId(), EventType.NOISE, startSample, endSample,
                        startSample * periodNs, QualityFlags.describe(flags)));
            }
        });
        SampleBlock block = new SampleBlock(stream, blockSamples);
        for (int start = 0; start < signal.length; start += blockSamples) {
            int len = Math.min(blockSamples, signal.length - start);
            block.begin(start, start * periodNs);
            System.arraycopy(signal, start, block.channel(0), 0, len);
            block.setLength(len);
            processor.process(block);
            rhythm.onTime(start + len);
        }
        processor.finish();
        rhythm.finish(signal.length - 1);
        long[] samples = Arrays.copyOf(beats[0], n[0]);
        AamiClass[] classes = new AamiClass[samples.length];
        Arrays.fill(classes, AamiClass.N);
        long[][] noiseStretches = new long[noise.size()][];
        for (int i = 0; i < noiseStretches.length; i++) {
            noiseStretches[i] = new long[] {noise.get(i).onsetSample(), noise.get(i).offsetSample()};
        }
        rhythmAndClasses(stream, signal, samples, noiseStretches, classes, events);
        // rhythm conditions that start inside a stretch too noisy to trust are not raised (no false alarms there)
        events.removeIf(e -> noise.stream().anyMatch(z -> e.onsetSample() >= z.onsetSample() && e.onsetSample() <= z.offsetSample()));
        events.addAll(noise);
        events.sort((a, b) -> Long.compare(a.onsetSample(), b.onsetSample()));
        return new Result(name, fs, signal.length, samples, classes, List.copyOf(events));
    }

    /**
     * Beat classes from the classifier and AF/VT episodes from {@code edge-inference}'s offline rhythm analysis, on
     * our beats and NOISE stretches (the signal is not processed a second time).
     */
    private void rhythmAndClasses(StreamDescriptor stream, double[] signal, long[] samples, long[][] noise,
                                  AamiClass[] classes, List<CardiacEvent> events) {
        OfflineRhythmAnalysis.Result r;
        try {
            r = OfflineRhythmAnalysis.analyze(stream.streamId(), stream.nominalRateHz(), signal, samples, noise,
                    classifier, AfDetector.Config.DEFAULTS, EctopyMonitor.Config.DEFAULTS);
        } catch (BeatClassifierException e) {
            throw new IllegalStateException("beat classification failed: " + e.getMessage(), e);
        }
        if (classifier != null) {
            for (int i = 0, j = 0; i < samples.length; i++) {
                while (j < r.beatSamples().length && r.beatSamples()[j] < samples[i] - 1) {
                    j++;
                }
                if (j < r.beatSamples().length && Math.abs(r.beatSamples()[j] - samples[i]) <= 1) {
                    classes[i] = r.classes()[j];
                }
            }
        }
        for (CardiacEvent e : r.events()) {
            if (!e.isOngoing()) {
                events.add(e);
            }
        }
    }

    /** Writes {@code <record>.csv} and {@code <record>.events.csv} into {@code outDir}. */
    public static void write(Result r, Path outDir) throws IOException {
        Files.createDirectories(outDir);
        try (BufferedWriter w = Files.newBufferedWriter(outDir.resolve(r.record() + ".csv"))) {
            w.write("sample,symbol\n");
            for (int i = 0; i < r.beatSamples().length; i++) {
                w.write(Long.toString(r.beatSamples()[i]));
                w.write(',');
                w.write(r.beatClasses()[i].name());
                w.write('\n');
            }
        }
        try (BufferedWriter w = Files.newBufferedWriter(outDir.resolve(r.record() + ".events.csv"))) {
            w.write("onset_sample,offset_sample,type,detail\n");
            for (CardiacEvent e : r.events()) {
                w.write(e.onsetSample() + "," + e.offsetSample() + "," + e.type().name() + ",\""
                        + e.detail().replace("\"", "\"\"") + "\"\n");
            }
        }
    }
}
