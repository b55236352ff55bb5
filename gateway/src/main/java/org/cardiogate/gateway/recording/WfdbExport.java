package org.cardiogate.gateway.recording;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import org.cardiogate.signal.edf.EdfAnnotation;
import org.cardiogate.signal.edf.EdfFile;
import org.cardiogate.signal.edf.EdfReader;
import org.cardiogate.signal.edf.EdfSignalSpec;
import org.cardiogate.signal.wfdb.Annotation;
import org.cardiogate.signal.wfdb.AnnotationCode;
import org.cardiogate.signal.wfdb.AnnotationWriter;
import org.cardiogate.signal.wfdb.WfdbWriter;

/**
 * Converts a closed EDF+ recording to WFDB, losslessly for the samples: the EDF digital values become format-16
 * samples with gain {@code 1 / resolution} and the baseline at the digital value of 0 physical units.
 *
 * <p>WFDB records have one sampling frequency, so signals are grouped by rate: the group of signal 0 (the ECG in the
 * gateway's files) is record {@code <id>}, each other rate {@code <id>_<rate>hz}. Annotations go to {@code <id>.atr}
 * (at the rate of that record): beat letters {@code N S V F Q} as beat annotations of those MIT codes, every other
 * annotation as a comment ({@code "}) with the EDF text (and its duration) in the aux field; annotations before the
 * first sample are left out.
 *
 * <p>Exports are cached as {@code <id>.wfdb.zip} beside the EDF file and rebuilt when the EDF file is newer. Calls for
 * the same file are serialised.
 */
final class WfdbExport {
    private final Path directory;

    WfdbExport(Path directory) {
        this.directory = directory;
    }

    /** The zip of the export of an EDF file in the directory, made now unless a current one exists. */
    synchronized Path zip(Path edf) throws IOException {
        String id = idOf(edf);
        Path zip = directory.resolve(id + ".wfdb.zip");
        if (Files.isRegularFile(zip)
                && Files.getLastModifiedTime(zip).compareTo(Files.getLastModifiedTime(edf)) >= 0) {
            return zip;
        }
        Path tmpDir = Files.createTempDirectory(directory, ".wfdb-" + id);
        try {
            export(edf, tmpDir, id.replace('.', '-'));
            Path tmpZip = directory.resolve("." + id + ".wfdb.zip.tmp");
            try (OutputStream os = Files.newOutputStream(tmpZip); ZipOutputStream z = new ZipOutputStream(os);
                 Stream<Path> files = Files.list(tmpDir)) {
                for (Path f : files.sorted().toList()) {
                    z.putNextEntry(new ZipEntry(f.getFileName().toString()));
                    Files.copy(f, z);
                    z.closeEntry();
                }
            }
            Files.move(tmpZip, zip, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return zip;
        } finally {
            try (Stream<Path> s = Files.walk(tmpDir)) {
                for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    /** Deletes the cached export of an EDF file. */
    synchronized void delete(Path edf) throws IOException {
        Files.deleteIfExists(directory.resolve(idOf(edf) + ".wfdb.zip"));
    }

    /**
     * Writes the WFDB records of an EDF file into {@code outDir}.
     *
     * @param recordName letters, digits, {@code _} and {@code -}
     * @return the record names written, {@code recordName} first (it carries the annotations)
     */
    static List<String> export(Path edf, Path outDir, String recordName) throws IOException {
        EdfFile f = EdfReader.read(edf);
        if (f.signalCount() == 0) {
            throw new IllegalArgumentException(edf + ": no sampled signals to export");
        }
        Map<Integer, List<Integer>> groups = new LinkedHashMap<>();
        for (int s = 0; s < f.signalCount(); s++) {
            groups.computeIfAbsent(f.signal(s).samplesPerRecord(), k -> new ArrayList<>()).add(s);
        }
        List<String> names = new ArrayList<>();
        boolean first = true;
        for (List<Integer> group : groups.values()) {
            double fs = f.samplingFrequency(group.get(0));
            String name = first ? recordName : recordName + "_" + rateName(fs) + "hz";
            int n = group.size();
            String[] labels = new String[n];
            String[] units = new String[n];
            double[] gains = new double[n];
            int[] baselines = new int[n];
            int[][] digital = new int[n][];
            for (int k = 0; k < n; k++) {
                int s = group.get(k);
                EdfSignalSpec spec = f.signal(s);
                labels[k] = spec.label().trim();
                String u = spec.physicalDimension().trim().replace(' ', '_').replace("(", "").replace(")", "");
                units[k] = u.isEmpty() ? "NU" : u;
                double res = spec.resolution();
                gains[k] = Math.abs(1 / res);
                baselines[k] = (int) Math.round(spec.digitalMin() - spec.physicalMin() / res);
                digital[k] = f.digital(s);
                if (res < 0) {
                    for (int i = 0; i < digital[k].length; i++) {
                        digital[k][i] = -digital[k][i];
                    }
                    baselines[k] = -baselines[k];
                }
            }
            WfdbWriter.write(outDir, name, fs, labels, units, gains, baselines, digital, 16);
            if (first) {
                AnnotationWriter.write(outDir.resolve(name + ".atr"), annotations(f.annotations(), fs));
            }
            names.add(name);
            first = false;
        }
        return names;
    }

    static List<Annotation> annotations(List<EdfAnnotation> edf, double fs) {
        List<Annotation> out = new ArrayList<>();
        for (EdfAnnotation a : edf) {
            long sample = Math.round(a.onsetSeconds() * fs);
            if (sample < 0) {
                continue;
            }
            String t = a.text();
            switch (t) {
                case "N", "S", "V", "F", "Q" -> out.add(Annotation.of(sample, t));
                default -> {
                    String aux = a.hasDuration() ? t + " (" + a.durationSeconds() + " s)" : t;
                    StringBuilder sb = new StringBuilder(Math.min(aux.length(), 255));
                    for (int i = 0; i < aux.length() && sb.length() < 255; i++) {
                        char c = aux.charAt(i);
                        sb.append(c == 0 || c > 0xff ? '?' : c);
                    }
                    out.add(Annotation.of(sample, AnnotationCode.NOTE, 0, 0, 0, sb.toString()));
                }
            }
        }
        out.sort(Comparator.comparingLong(Annotation::sample));
        return out;
    }

    private static String rateName(double fs) {
        return fs == Math.rint(fs) ? Long.toString((long) fs) : Double.toString(fs).replace('.', 'p');
    }

    private static String idOf(Path edf) {
        String n = edf.getFileName().toString();
        return n.endsWith(".edf") ? n.substring(0, n.length() - 4) : n;
    }
}
