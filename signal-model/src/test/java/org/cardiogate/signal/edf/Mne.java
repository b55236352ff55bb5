package org.cardiogate.signal.edf;

import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs MNE-Python ({@code python3-mne}) as an independent EDF reader in a child process. Tests skip with a message
 * when it is missing, unless {@code CARDIOGATE_REQUIRE_TOOLS=1}, which makes a missing tool a failure.
 */
final class Mne {
    static final String PYTHON = "/usr/bin/python3";

    private static final String SCRIPT = """
            import sys, mne
            mne.set_log_level('ERROR')
            path = sys.argv[1]
            raw = mne.io.read_raw_edf(path, preload=True)
            print('ch_names=' + '|'.join(raw.ch_names))
            print('sfreq=' + repr(float(raw.info['sfreq'])))
            print('n_times=' + str(raw.n_times))
            print('meas_date=' + raw.info['meas_date'].strftime('%Y-%m-%dT%H:%M:%S'))
            data = raw.get_data()
            for i in range(len(raw.ch_names)):
                for j in [int(s) for s in sys.argv[2].split(',') if s]:
                    if j < raw.n_times:
                        print('sample %d %d %r' % (i, j, float(data[i, j])))
            for a in raw.annotations:
                print('raw_annotation %r %r %s' % (float(a['onset']), float(a['duration']),
                                                   a['description'].encode('utf-8').hex()))
            for a in mne.read_annotations(path):
                print('annotation %r %r %s' % (float(a['onset']), float(a['duration']),
                                               a['description'].encode('utf-8').hex()))
            """;

    /** What MNE made of a file. Samples are in SI units (volts for a {@code mV} signal). */
    record Result(List<String> channelNames, double sfreq, int nTimes, String measDate,
                  Map<String, Double> samples, List<EdfAnnotation> rawAnnotations,
                  List<EdfAnnotation> annotations, String stderr) {
        double sample(int channel, int index) {
            Double v = samples.get(channel + " " + index);
            if (v == null) {
                throw new AssertionError("MNE printed no sample " + index + " of channel " + channel);
            }
            return v;
        }
    }

    private Mne() {
    }

    /** Skips the calling test (or fails it when tools are required) when python3-mne cannot be imported. */
    static void assumeAvailable() throws IOException, InterruptedException {
        String why = unavailableReason();
        if (why == null) {
            return;
        }
        if ("1".equals(System.getenv("CARDIOGATE_REQUIRE_TOOLS"))) {
            fail("CARDIOGATE_REQUIRE_TOOLS=1 but " + why);
        }
        assumeTrue(false, why + "; install python3-mne (apt-get install -y python3-mne) to run this test");
    }

    private static String unavailableReason() throws IOException, InterruptedException {
        if (!Files.isExecutable(Path.of(PYTHON))) {
            return PYTHON + " is missing";
        }
        Process p = new ProcessBuilder(PYTHON, "-c", "import mne").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return "importing mne took more than 120 s";
        }
        return p.exitValue() == 0 ? null : "python3 cannot import mne: " + out.strip();
    }

    /** Reads a file with {@code mne.io.read_raw_edf} and {@code mne.read_annotations}, printing the given samples. */
    static Result read(Path file, int... sampleIndices) throws IOException, InterruptedException {
        StringBuilder idx = new StringBuilder();
        for (int i : sampleIndices) {
            idx.append(i).append(',');
        }
        Path err = Files.createTempFile("mne", ".stderr");
        try {
            Process p = new ProcessBuilder(PYTHON, "-c", SCRIPT, file.toString(), idx.toString())
                    .redirectError(err.toFile()).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(180, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("MNE did not finish reading " + file + " within 180 s");
            }
            String stderr = Files.readString(err);
            if (p.exitValue() != 0) {
                throw new AssertionError("MNE failed to read " + file + " (exit " + p.exitValue() + "):\n" + stderr);
            }
            return parse(out, stderr);
        } finally {
            Files.deleteIfExists(err);
        }
    }

    private static Result parse(String out, String stderr) {
        List<String> names = List.of();
        double sfreq = Double.NaN;
        int nTimes = -1;
        String meas = null;
        Map<String, Double> samples = new HashMap<>();
        List<EdfAnnotation> rawAnn = new ArrayList<>();
        List<EdfAnnotation> ann = new ArrayList<>();
        for (String line : out.split("\n")) {
            if (line.startsWith("ch_names=")) {
                names = List.of(line.substring(9).split("\\|"));
            } else if (line.startsWith("sfreq=")) {
                sfreq = Double.parseDouble(line.substring(6));
            } else if (line.startsWith("n_times=")) {
                nTimes = Integer.parseInt(line.substring(8));
            } else if (line.startsWith("meas_date=")) {
                meas = line.substring(10);
            } else if (line.startsWith("sample ")) {
                String[] f = line.split(" ");
                samples.put(f[1] + " " + f[2], Double.parseDouble(f[3]));
            } else if (line.startsWith("raw_annotation ") || line.startsWith("annotation ")) {
                String[] f = line.split(" ");
                String text = new String(HexFormat.of().parseHex(f[3]), StandardCharsets.UTF_8);
                EdfAnnotation a = new EdfAnnotation(Double.parseDouble(f[1]), Double.parseDouble(f[2]), text);
                (line.startsWith("raw") ? rawAnn : ann).add(a);
            } else if (!line.isBlank()) {
                throw new AssertionError("unexpected MNE output line: " + line);
            }
        }
        return new Result(names, sfreq, nTimes, meas, samples, rawAnn, ann, stderr);
    }
}
