package org.cardiogate.gateway.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.cardiogate.dsp.fusion.FusedBeat;
import org.cardiogate.dsp.fusion.FusionConfig;
import org.cardiogate.dsp.fusion.io.FusedBeatCsv;
import org.cardiogate.dsp.fusion.io.FusionAnalyzer;
import org.cardiogate.dsp.fusion.io.SignalCsv;
import org.cardiogate.dsp.fusion.io.TimedSignals;
import org.cardiogate.gateway.analysis.RecordAnalyzer;
import org.cardiogate.signal.Channel;
import org.cardiogate.signal.Modality;
import org.cardiogate.signal.StreamDescriptor;

/**
 * CSV inputs of {@code analyze}: a file with named columns (the BIDMC layout), or a SensSmartTech record made of
 * per-sensor timestamped files. The ECG column goes through the same {@link RecordAnalyzer} as WFDB records; with
 * PPG or SCG the fused beat table is written beside the contract files.
 */
final class CsvInputs {
    private final RecordAnalyzer analyzer;
    private final String ecgColumn;
    private final String ppgColumn;
    private final String scgColumn;
    private final double rate;
    private final double[] patWindow;

    CsvInputs(RecordAnalyzer analyzer, String ecgColumn, String ppgColumn, String scgColumn, double rate,
              double[] patWindow) {
        this.analyzer = analyzer;
        this.ecgColumn = ecgColumn;
        this.ppgColumn = ppgColumn;
        this.scgColumn = scgColumn;
        this.rate = rate;
        this.patWindow = patWindow;
    }

    static boolean isCsvInput(Path p) {
        return p.getFileName().toString().endsWith(".csv") || isSensSmartTech(p);
    }

    private static boolean isSensSmartTech(Path p) {
        return Files.exists(p.resolveSibling(p.getFileName() + "_ecg.csv"));
    }

    RecordAnalyzer.Result analyze(Path input, Path out) throws IOException {
        FusionAnalyzer.Input ecg;
        FusionAnalyzer.Input ppg = null;
        FusionAnalyzer.Input scg = null;
        String name;
        if (isSensSmartTech(input)) {
            name = input.getFileName().toString();
            FusionAnalyzer.Input[] in = FusionAnalyzer.senssmarttech(input.getParent(), name);
            ecg = in[0];
            ppg = in[1];
            scg = in[2];
        } else {
            name = input.getFileName().toString().replaceFirst("\\.csv$", "");
            TimedSignals t = SignalCsv.readUniform(input, rate);
            ecg = new FusionAnalyzer.Input(t, List.of(ecgColumn), 1);
            if (ppgColumn != null) {
                ppg = new FusionAnalyzer.Input(t, List.of(ppgColumn), 1);
            }
            if (scgColumn != null) {
                scg = new FusionAnalyzer.Input(t, List.of(scgColumn), 1);
            }
        }
        TimedSignals e = ecg.signals();
        double[] lead = e.column(ecg.channels().get(0)).clone();
        for (int i = 0; i < lead.length; i++) {
            lead[i] *= ecg.scale();
        }
        StreamDescriptor stream = new StreamDescriptor("ecg", "csv:" + name, Modality.ECG,
                List.of(new Channel(ecg.channels().get(0), "mV")), e.rateHz());
        RecordAnalyzer.Result r = analyzer.analyze(name, stream, lead);
        if (ppg != null || scg != null) {
            writeFused(name, new FusionAnalyzer.Input[] {ecg, ppg, scg}, patWindow, out);
        }
        return r;
    }

    /** Fuses {ECG, PPG, SCG} inputs beat by beat and writes {@code out/<name>.fused.csv}. */
    static void writeFused(String name, FusionAnalyzer.Input[] in, double[] patWindow, Path out) throws IOException {
        FusionConfig config = FusionConfig.defaults();
        if (patWindow != null) {
            if (patWindow.length != 2) {
                throw new IllegalArgumentException("--pat-window needs two values, MIN,MAX in seconds");
            }
            config = config.withPatWindow(patWindow[0], patWindow[1]);
        }
        List<FusedBeat> fused = FusionAnalyzer.analyze(in[0], in[1], in[2], config);
        Files.createDirectories(out);
        FusedBeatCsv.write(out.resolve(name + ".fused.csv"), fused);
    }
}
