package org.cardiogate.gateway.recording;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.cardiogate.signal.Channel;
import org.cardiogate.signal.Modality;
import org.cardiogate.signal.StreamDescriptor;
import org.cardiogate.signal.edf.EdfSignalSpec;

/**
 * How streams map onto EDF+ signals: one signal per channel of each stream, in stream order.
 *
 * <p>Record duration: the shortest whole number of seconds (1 to {@value #MAX_RECORD_SECONDS}) in which every
 * stream's nominal rate gives a whole number of samples, so 1 s for integer rates, 4 s for 62.5 Hz. Streams are never
 * resampled: a recording keeps the samples exactly as the DSP saw them. A rate with no such duration is refused.
 *
 * <p>Physical ranges (16-bit digital values, range by channel unit): {@code mV} -32.768..32.767 (1 uV steps),
 * {@code uV} -32768..32767, {@code V} -0.032768..0.032767, {@code mg} -4096..4096 (0.125 mg steps, an accelerometer
 * at +-4 g), {@code counts}/{@code au} 0..262143 (18-bit optical front ends, 4 counts per step), anything else
 * -32768..32767 of its unit. Values outside are clipped by the writer and counted.
 */
final class RecordingLayout {
    static final int MAX_RECORD_SECONDS = 60;

    private RecordingLayout() {
    }

    /** The data record duration in whole seconds for these streams. */
    static int recordSeconds(List<StreamDescriptor> streams) {
        for (int d = 1; d <= MAX_RECORD_SECONDS; d++) {
            boolean ok = true;
            for (StreamDescriptor s : streams) {
                double n = s.nominalRateHz() * d;
                if (Math.abs(n - Math.rint(n)) > 1e-6) {
                    ok = false;
                    break;
                }
            }
            if (ok) {
                return d;
            }
        }
        StringBuilder sb = new StringBuilder();
        for (StreamDescriptor s : streams) {
            sb.append(' ').append(s.streamId()).append('=').append(s.nominalRateHz()).append(" Hz");
        }
        throw new IllegalArgumentException("recording: no data record of 1.." + MAX_RECORD_SECONDS
                + " s holds a whole number of samples of every stream (" + sb.toString().trim()
                + "); configure a sample rate that is a multiple of 1/" + MAX_RECORD_SECONDS + " Hz");
    }

    static int samplesPerRecord(StreamDescriptor s, int recordSeconds) {
        return (int) Math.rint(s.nominalRateHz() * recordSeconds);
    }

    /** EDF signal specs for these streams, one per channel, stream after stream. */
    static List<EdfSignalSpec> signals(List<StreamDescriptor> streams, int recordSeconds) {
        List<EdfSignalSpec> out = new ArrayList<>();
        Set<String> used = new HashSet<>();
        long ecgStreams = streams.stream().filter(s -> s.modality() == Modality.ECG).count();
        for (StreamDescriptor s : streams) {
            int spr = samplesPerRecord(s, recordSeconds);
            for (Channel c : s.channels()) {
                String label = s.modality() == Modality.ECG && ecgStreams == 1 ? "ECG " + c.name()
                        : s.streamId() + " " + c.name();
                label = ascii(label, 16);
                if (!used.add(label)) {
                    label = ascii(s.streamId() + "." + c.name(), 16);
                    used.add(label);
                }
                double[] r = range(c.unit());
                out.add(new EdfSignalSpec(label, ascii("stream=" + s.streamId() + " sensor=" + s.sensor(), 80),
                        ascii(c.unit(), 8), r[0], r[1], -32768, 32767, "", spr));
            }
        }
        return out;
    }

    /** {physical minimum, physical maximum} for a channel unit. */
    static double[] range(String unit) {
        return switch (unit) {
            case "mV" -> new double[] {-32.768, 32.767};
            case "uV", "µV" -> new double[] {-32768, 32767};
            case "V" -> new double[] {-0.032768, 0.032767};
            case "mg" -> new double[] {-4096, 4096};
            case "counts", "au" -> new double[] {0, 262143};
            default -> new double[] {-32768, 32767};
        };
    }

    static String ascii(String s, int max) {
        StringBuilder sb = new StringBuilder(Math.min(s.length(), max));
        for (int i = 0; i < s.length() && sb.length() < max; i++) {
            char c = s.charAt(i);
            sb.append(c >= 32 && c < 127 ? c : (c == 'µ' ? 'u' : '?'));
        }
        return sb.toString();
    }
}
