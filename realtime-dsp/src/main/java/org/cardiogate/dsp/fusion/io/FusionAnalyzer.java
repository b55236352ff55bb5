package org.cardiogate.dsp.fusion.io;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.cardiogate.dsp.fusion.FusedBeat;
import org.cardiogate.dsp.fusion.FusedBeatListener;
import org.cardiogate.dsp.fusion.FusionConfig;
import org.cardiogate.dsp.fusion.FusionEngine;
import org.cardiogate.signal.Channel;
import org.cardiogate.signal.Modality;
import org.cardiogate.signal.SampleBlock;
import org.cardiogate.signal.StreamDescriptor;

/**
 * Offline fusion of recorded files (CSV through {@link SignalCsv}, WFDB through {@link WfdbInputs}) through the same
 * {@link FusionEngine} as the live loop: each input becomes a stream with its own rate and start time, fed in 50 ms
 * blocks interleaved by their timestamps.
 */
public final class FusionAnalyzer {
    private FusionAnalyzer() {
    }

    /**
     * One input stream.
     *
     * @param signals  the file's signals
     * @param channels the columns to use: ECG lead; PPG infrared then optionally red; SCG dorso-ventral axis
     * @param scale    multiplies the values into the stream's unit (ECG mV, SCG mg, PPG au)
     */
    public record Input(TimedSignals signals, List<String> channels, double scale) {
        public Input {
            channels = List.copyOf(channels);
            if (channels.isEmpty()) {
                throw new IllegalArgumentException(signals.source() + ": no channel chosen");
            }
            for (String c : channels) {
                signals.columnIndex(c);
            }
        }
    }

    /** The three inputs of a SensSmartTech record from its CSV folder: ECG lead II, carotid PPG, accelerometer z. */
    public static Input[] senssmarttech(Path csvDir, String record) throws IOException {
        TimedSignals ecg = SignalCsv.readTimestamped(csvDir.resolve(record + "_ecg.csv"), "t", 1e-3);
        TimedSignals ppg = SignalCsv.readTimestamped(csvDir.resolve(record + "_ppg.csv"), "t", 1e-3);
        TimedSignals acc = SignalCsv.readTimestamped(csvDir.resolve(record + "_acc.csv"), "t", 1e-3);
        return new Input[] {
            new Input(ecg, List.of("lead_II"), 1 / 6990.5),
            new Input(ppg, List.of("carotid_880nm", "carotid_660nm"), 1),
            new Input(acc, List.of("az"), 1000 / 327.68)
        };
    }

    /**
     * The inputs of WFDB records, signals chosen by their descriptions ({@link WfdbInputs}): {ECG, PPG, SCG}, the PPG or
     * SCG null when absent.
     */
    public static Input[] wfdb(Path... records) throws IOException {
        return WfdbInputs.read(records);
    }

    /** Fuses the inputs (any may be null); returns the beats in order. */
    public static List<FusedBeat> analyze(Input ecg, Input ppg, Input scg, FusionConfig config) {
        List<FusedBeat> beats = new ArrayList<>();
        StreamDescriptor ecgS = stream("ecg", Modality.ECG, ecg, "mV");
        StreamDescriptor ppgS = stream("ppg", Modality.PPG, ppg, "au");
        StreamDescriptor scgS = stream("scg", Modality.SCG, scg, "mg");
        FusionEngine engine = new FusionEngine(config, ecgS, 0, ppgS, 0, ppg != null && ppg.channels().size() > 1 ? 1 : -1,
                scgS, 0, new FusedBeatListener() {
                    @Override
                    public void onBeat(FusedBeat beat) {
                        beats.add(beat.copy());
                    }
                });
        Feed[] feeds = {feed(ecgS, ecg), feed(ppgS, ppg), feed(scgS, scg)};
        while (true) {
            Feed next = null;
            for (Feed f : feeds) {
                if (f != null && f.hasMore() && (next == null || f.nextNanos() < next.nextNanos())) {
                    next = f;
                }
            }
            if (next == null) {
                break;
            }
            engine.process(next.fill());
        }
        engine.finish();
        return beats;
    }

    private static StreamDescriptor stream(String id, Modality m, Input in, String unit) {
        if (in == null) {
            return null;
        }
        List<Channel> ch = new ArrayList<>();
        for (String c : in.channels()) {
            ch.add(new Channel(c, unit));
        }
        return new StreamDescriptor(id, Path.of(in.signals().source()).getFileName().toString(), m, ch,
                in.signals().rateHz());
    }

    private static Feed feed(StreamDescriptor s, Input in) {
        return s == null ? null : new Feed(s, in);
    }

    private static final class Feed {
        final Input in;
        final SampleBlock block;
        final double[][] cols;
        final double period;
        long next;

        Feed(StreamDescriptor s, Input in) {
            this.in = in;
            this.block = new SampleBlock(s, (int) Math.max(1, Math.round(s.nominalRateHz() / 20)));
            this.cols = new double[in.channels().size()][];
            for (int c = 0; c < cols.length; c++) {
                cols[c] = in.signals().column(in.channels().get(c));
            }
            this.period = 1e9 / s.nominalRateHz();
        }

        boolean hasMore() {
            return next < cols[0].length;
        }

        long nextNanos() {
            return in.signals().startNanos() + Math.round(next * period);
        }

        SampleBlock fill() {
            int len = (int) Math.min(block.capacity(), cols[0].length - next);
            block.begin(next, nextNanos());
            for (int c = 0; c < cols.length; c++) {
                double[] dst = block.channel(c);
                for (int i = 0; i < len; i++) {
                    dst[i] = cols[c][(int) next + i] * in.scale();
                }
            }
            block.setLength(len);
            next += len;
            return block;
        }
    }
}
