package org.cardiogate.mqtt;

import java.util.List;
import org.cardiogate.signal.AamiClass;
import org.cardiogate.signal.Beat;
import org.cardiogate.signal.CardiacEvent;
import org.cardiogate.signal.Channel;
import org.cardiogate.signal.EventType;
import org.cardiogate.signal.Modality;
import org.cardiogate.signal.SampleBlock;
import org.cardiogate.signal.StreamDescriptor;
import org.cardiogate.signal.Vital;

/**
 * A patient's outputs as a gateway produces them, on a sample clock: 8-lead ECG at 500 Hz, PPG (red, IR) at 100 Hz and
 * SCG (3 axes) at 500 Hz in 50 ms blocks, a beat every 800 ms, a heart-rate vital every second and an alarm every
 * 4 s. The waveform is a synthetic QRS-like pulse train: it is transport test data, not physiology.
 */
final class PatientStream {
    static final double ECG_HZ = 500;
    static final double PPG_HZ = 100;
    static final double SCG_HZ = 500;
    static final int BLOCK_MS = 50;

    final StreamDescriptor ecg;
    final StreamDescriptor ppg;
    final StreamDescriptor scg;
    private final SampleBlock ecgBlock;
    private final SampleBlock ppgBlock;
    private final SampleBlock scgBlock;
    private long tick;

    PatientStream(String prefix) {
        this(prefix, 0);
    }

    /** @param startTick the first 50 ms tick: a restarted gateway goes on from where its sample counters are */
    PatientStream(String prefix, long startTick) {
        this.tick = startTick;
        ecg = new StreamDescriptor(prefix + "ecg", "simulator", Modality.ECG, channels("ecg", 8, "mV"), ECG_HZ);
        ppg = new StreamDescriptor(prefix + "ppg", "simulator", Modality.PPG, channels("ppg", 2, "au"), PPG_HZ);
        scg = new StreamDescriptor(prefix + "scg", "simulator", Modality.SCG, channels("scg", 3, "g"), SCG_HZ);
        ecgBlock = new SampleBlock(ecg, (int) (ECG_HZ * BLOCK_MS / 1000));
        ppgBlock = new SampleBlock(ppg, (int) (PPG_HZ * BLOCK_MS / 1000));
        scgBlock = new SampleBlock(scg, (int) (SCG_HZ * BLOCK_MS / 1000));
    }

    private static List<Channel> channels(String name, int n, String unit) {
        Channel[] c = new Channel[n];
        for (int i = 0; i < n; i++) {
            c[i] = new Channel(name + i, unit);
        }
        return List.of(c);
    }

    /** What one 50 ms tick produced, for counting. */
    record Tick(int waveforms, int beats, int vitals, int events) {
    }

    /**
     * Produces one 50 ms tick into the publisher.
     *
     * @param nowNanos monotonic time stamped on the blocks and items (the benchmark measures latency from it)
     */
    Tick next(MqttPublisher publisher, long nowNanos, boolean withPpgAndScg) {
        long t = tick++;
        fill(ecgBlock, t, nowNanos, 1.0);
        publisher.publishWaveform(ecgBlock);
        int waveforms = 1;
        if (withPpgAndScg) {
            fill(ppgBlock, t, nowNanos, 2000.0);
            publisher.publishWaveform(ppgBlock);
            fill(scgBlock, t, nowNanos, 0.02);
            publisher.publishWaveform(scgBlock);
            waveforms += 2;
        }
        long sample = (long) (t * ECG_HZ * BLOCK_MS / 1000);
        int beats = 0;
        int vitals = 0;
        int events = 0;
        if (t % 16 == 0) {
            publisher.onBeat(new Beat(ecg.streamId(), sample, nowNanos, AamiClass.N, 0.8, 75));
            beats++;
        }
        if (t % 20 == 0) {
            publisher.onVital(new Vital(ecg.streamId(), Vital.HEART_RATE, 75, "bpm", sample, nowNanos, "ecg"));
            vitals++;
        }
        if (t % 80 == 40) {
            publisher.onEvent(new CardiacEvent(ecg.streamId(), EventType.TACHY, sample, -1, nowNanos, "HR 131 bpm > 130 bpm"));
            events++;
        }
        return new Tick(waveforms, beats, vitals, events);
    }

    private static void fill(SampleBlock block, long tick, long nowNanos, double amplitude) {
        int n = block.capacity();
        long first = tick * n;
        block.begin(first, nowNanos);
        for (int c = 0; c < block.channelCount(); c++) {
            double[] x = block.channel(c);
            for (int i = 0; i < n; i++) {
                long s = first + i;
                double phase = (s % 400) / 400.0;
                x[i] = amplitude * ((phase < 0.02 ? 1.0 - Math.abs(phase - 0.01) * 100 : 0.0) + 0.05 * Math.sin(s * 0.01 + c));
            }
        }
        block.setLength(n);
    }
}
