package org.cardiogate.inference.beat;

import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.cardiogate.signal.AamiClass;
import org.cardiogate.signal.wfdb.AnnotationReader;

/**
 * Exports the classifier's training data: for every DS1 record, the features of each detected beat that matches a
 * reference beat within 150 ms, computed by {@link RecordFeatures} (the live path). Only DS1 records are accepted.
 *
 * <p>Output: little-endian float32 rows of {@code 3 + CHANNELS*WINDOW + RR_FEATURES} values: record index (in the
 * order given), R sample, AAMI class ordinal (N S V F Q = 0..4), window, RR features; and {@code <out>.records}
 * with the record names, one a line; {@code <out>.beats} with every detected R peak of each record (the extractor's
 * whole input, matched or not), one record a line: {@code <record> <r> <r> ...}.
 *
 * <p>Usage: {@code BeatDatasetExport <mitdb dir> <out file> [record...]} (default: all of DS1).
 */
public final class BeatDatasetExport {
    private BeatDatasetExport() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 2) {
            System.err.println("usage: BeatDatasetExport <mitdb dir> <out file> [record...]");
            System.exit(2);
        }
        Path dir = Path.of(args[0]);
        Path out = Path.of(args[1]);
        List<String> records = args.length > 2 ? List.of(args).subList(2, args.length) : MitBihSplit.DS1;
        for (String r : records) {
            if (!MitBihSplit.DS1.contains(r)) {
                throw new IllegalArgumentException("record " + r + " is not in DS1: only DS1 may be exported for training");
            }
        }
        int width = 3 + BeatFeatures.CHANNELS * BeatFeatures.WINDOW + BeatFeatures.RR_FEATURES;
        int win = BeatFeatures.CHANNELS * BeatFeatures.WINDOW;
        List<String> beatLines = new java.util.ArrayList<>();
        try (OutputStream os = Files.newOutputStream(out);
             DataOutputStream data = new DataOutputStream(new BufferedOutputStream(os, 1 << 16))) {
            for (int ri = 0; ri < records.size(); ri++) {
                Path rec = dir.resolve(records.get(ri));
                RecordFeatures f = RecordFeatures.of(rec);
                StringBuilder line = new StringBuilder(records.get(ri));
                for (long r : f.detected()) {
                    line.append(' ').append(r);
                }
                beatLines.add(line.toString());
                AamiClass[] ref = RecordFeatures.referenceClasses(f.rSamples(), AnnotationReader.read(rec, "atr"),
                        f.rateHz(), 0.150);
                int[] counts = new int[AamiClass.values().length];
                for (int b = 0; b < f.beatCount(); b++) {
                    if (ref[b] == null) {
                        continue;
                    }
                    counts[ref[b].ordinal()]++;
                    writeLe(data, ri);
                    writeLe(data, f.rSamples()[b]);
                    writeLe(data, ref[b].ordinal());
                    for (int k = 0; k < win; k++) {
                        writeLe(data, f.windows()[b * win + k]);
                    }
                    for (int k = 0; k < BeatFeatures.RR_FEATURES; k++) {
                        writeLe(data, f.rr()[b * BeatFeatures.RR_FEATURES + k]);
                    }
                }
                System.out.printf("%s: %d beats with features, N=%d S=%d V=%d F=%d Q=%d%n", records.get(ri),
                        f.beatCount(), counts[0], counts[1], counts[2], counts[3], counts[4]);
            }
        }
        Files.write(Path.of(out + ".records"), records);
        Files.write(Path.of(out + ".beats"), beatLines);
        System.out.println("row width " + width + " float32, written to " + out);
    }

    private static void writeLe(DataOutputStream d, float v) throws IOException {
        d.writeInt(Integer.reverseBytes(Float.floatToIntBits(v)));
    }
}
