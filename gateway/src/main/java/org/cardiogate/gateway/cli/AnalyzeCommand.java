package org.cardiogate.gateway.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import org.cardiogate.gateway.analysis.Classifiers;
import org.cardiogate.gateway.analysis.EdfInput;
import org.cardiogate.gateway.analysis.RecordAnalyzer;
import org.cardiogate.inference.beat.BeatClassifier;
import org.cardiogate.inference.RhythmLimits;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code gateway analyze RECORD... --out DIR}: offline analysis with the live loop's DSP code. */
@Command(name = "analyze", mixinStandardHelpOptions = true,
        description = {"Analyse recordings offline with the same DSP code as the live loop.",
                "For each record writes DIR/<record>.csv (sample,symbol: R-peak sample index and AAMI class) and "
                        + "DIR/<record>.events.csv (onset_sample,offset_sample,type).",
                "RECORD is a WFDB record path without extension, an EDF/EDF+ file, a CSV file with named columns (give --rate unless it "
                        + "has a 'Time [s]' column, and --ecg/--ppg/--scg column names), or a SensSmartTech record "
                        + "prefix (<dir>/<record> with <record>_ecg.csv, _ppg.csv, _acc.csv). With PPG or SCG the "
                        + "fused beat table DIR/<record>.fused.csv is written too (PEP, LVET, PAT per beat); so it is"
                        + " for a WFDB record whose signals include a PPG (PLETH, PPG, ...nm) or an SCG besides its ECG."})
public final class AnalyzeCommand implements Callable<Integer> {

    @Parameters(arity = "1..*", paramLabel = "RECORD", description = "WFDB record path without extension (e.g. ../shared/data/mitdb/100)")
    List<Path> records;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "output directory (created if missing)")
    Path out;

    @Option(names = "--block", defaultValue = "256", paramLabel = "SAMPLES",
            description = "samples per block fed to the DSP (results do not depend on it; default ${DEFAULT-VALUE})")
    int block;

    @Option(names = "--rate", defaultValue = "0", paramLabel = "HZ",
            description = "sample rate of a CSV input (0: from its time column)")
    double rate;

    @Option(names = "--ecg", paramLabel = "COLUMN", description = "ECG column of a CSV input (default II)", defaultValue = "II")
    String ecgColumn;

    @Option(names = "--ppg", paramLabel = "COLUMN", description = "PPG column of a CSV input (e.g. PLETH)")
    String ppgColumn;

    @Option(names = "--scg", paramLabel = "COLUMN", description = "SCG (chest acceleration) column of a CSV input")
    String scgColumn;

    @Option(names = "--pat-window", paramLabel = "MIN,MAX", split = ",",
            description = "pulse arrival window in seconds for matching PPG pulses to beats (default 0.05,0.6)")
    double[] patWindow;

    @Option(names = "--jobs", defaultValue = "0", paramLabel = "N",
            description = "records analysed at once (default 0: one per processor); the output does not depend on it")
    int jobs;

    @Option(names = "--no-classifier", description = "do not load the neural beat classifier (every beat labelled N)")
    boolean noClassifier;

    @Override
    public Integer call() {
        PrintStream err = System.err;
        int threads;
        try {
            threads = RecordJobs.resolve(jobs, records.size());
        } catch (IllegalArgumentException e) {
            err.println("analyze: " + e.getMessage());
            return 2;
        }
        BeatClassifier loaded = noClassifier ? null : Classifiers.loadOrExplain(err);
        RecordAnalyzer analyzer = new RecordAnalyzer(block, RhythmLimits.ADULT_DEFAULTS,
                threads > 1 ? Classifiers.shared(loaded) : loaded);
        long t0 = System.nanoTime();
        long[] totals = new long[4]; // ok, failed, beats, samples
        double[] seconds = {0};
        RecordJobs.run(records, threads, record -> {
            RecordAnalyzer.Result r;
            if (EdfInput.isEdf(record)) {
                EdfInput in = EdfInput.read(record);
                r = analyzer.analyze(in.recordName(), in.stream(), in.millivolts());
            } else if (CsvInputs.isCsvInput(record)) {
                r = new CsvInputs(analyzer, ecgColumn, ppgColumn, scgColumn, rate, patWindow).analyze(record, out);
            } else {
                r = analyzer.analyze(record);
                if (org.cardiogate.dsp.fusion.io.WfdbInputs.hasPpgOrScg(record)) {
                    // a record with PPG or SCG besides its ECG: the fused beat table too
                    CsvInputs.writeFused(record.getFileName().toString(),
                            org.cardiogate.dsp.fusion.io.FusionAnalyzer.wfdb(record), patWindow, out);
                }
            }
            RecordAnalyzer.write(r, out);
            return r;
        }, new RecordJobs.Outcome<Path, RecordAnalyzer.Result>() {
            @Override
            public void done(int index, Path record, RecordAnalyzer.Result r) {
                totals[0]++;
                totals[2] += r.beatCount();
                totals[3] += r.samples();
                seconds[0] += r.samples() / r.samplingFrequency();
                if (records.size() > 1) {
                    err.printf(Locale.ROOT, "[%d/%d] %s: %d beats, %d events%n", index + 1, records.size(), r.record(),
                            r.beatCount(), r.events().size());
                }
            }

            @Override
            public void failed(int index, Path record, Exception e) {
                totals[1]++;
                err.println("[" + (index + 1) + "/" + records.size() + "] " + record + ": FAILED: " + e.getMessage());
            }
        });
        long ok = totals[0];
        long failed = totals[1];
        long beats = totals[2];
        long samples = totals[3];
        double elapsed = (System.nanoTime() - t0) / 1e9;
        err.printf(Locale.ROOT, "analyzed %d record(s)%s: %d beats in %.0f s of signal (%d samples) in %.2f s; output in %s%n",
                ok, failed > 0 ? ", " + failed + " failed" : "", beats, seconds[0], samples, elapsed, out);
        return failed == 0 ? 0 : 1;
    }
}
