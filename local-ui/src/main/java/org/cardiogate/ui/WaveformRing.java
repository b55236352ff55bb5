package org.cardiogate.ui;

import java.util.concurrent.atomic.AtomicLong;

import org.cardiogate.signal.Modality;
import org.cardiogate.signal.SampleBlock;
import org.cardiogate.signal.StreamDescriptor;

/**
 * The recent display-rate samples of one stream: a single-writer ring of {@code float} per channel that the output
 * thread fills ({@link #write}) and the page's dispatcher reads. The writer never waits: it overwrites the oldest
 * slots, and a reader that fell more than {@link #capacity()} slots behind counts the lost ones as dropped.
 *
 * <p>Decimation: {@code decimation} consecutive input samples are averaged into one display sample (a boxcar, which
 * also suppresses what would alias), so a 500 Hz ECG is shown at 250 Hz and a 1000 Hz one at 250 Hz; streams at or
 * below {@link LiveState#DISPLAY_RATE_HZ} are kept at full rate. A gap in the input sequence discards the partial
 * average, so every display sample is the mean of contiguous input samples.
 *
 * <p>Threading: {@link #write} from one thread at a time (the stream's output thread); the read methods from the
 * dispatcher. Nothing allocates after construction.
 */
final class WaveformRing {
    /** Seconds of display samples kept: enough for 5 s of evidence after an onset plus 5 s before and some slack. */
    static final double SECONDS_KEPT = 20;

    private final StreamDescriptor stream;
    private final int decimation;
    private final double displayRateHz;
    private final double[] quantum;
    private final int capacity;
    private final int mask;
    private final float[][] data;
    private final long[] sequences;
    private final double[] sum;
    private final int preferredChannel;

    // writer state
    private int summed;
    private long sumFirstSequence;
    private long expectedSequence = Long.MIN_VALUE;
    private long written;
    private final AtomicLong published = new AtomicLong();
    private final AtomicLong gaps = new AtomicLong();

    WaveformRing(StreamDescriptor stream, double targetDisplayHz) {
        this.stream = stream;
        this.decimation = Math.max(1, (int) Math.floor(stream.nominalRateHz() / targetDisplayHz + 1e-9));
        this.displayRateHz = stream.nominalRateHz() / decimation;
        int wanted = (int) Math.ceil(displayRateHz * SECONDS_KEPT);
        this.capacity = Integer.highestOneBit(Math.max(wanted, 2) - 1) << 1;
        this.mask = capacity - 1;
        int channels = stream.channelCount();
        this.data = new float[channels][capacity];
        this.sequences = new long[capacity];
        this.sum = new double[channels];
        this.quantum = new double[channels];
        for (int c = 0; c < channels; c++) {
            quantum[c] = quantumOf(stream.modality(), stream.channels().get(c).unit());
        }
        int ii = stream.channelIndex("II");
        this.preferredChannel = ii >= 0 ? ii : 0;
    }

    /**
     * The step the page's integers are multiplied by to get physical units: 1 uV for ECG in mV, 0.01 mg for SCG,
     * 1 unit for PPG (ADC counts), 0.001 otherwise.
     */
    static double quantumOf(Modality modality, String unit) {
        return switch (modality) {
            case ECG -> "uV".equals(unit) || "µV".equals(unit) ? 1 : 0.001;
            case SCG -> 0.01;
            case PPG -> 1;
            case OTHER -> 0.001;
        };
    }

    StreamDescriptor stream() {
        return stream;
    }

    int decimation() {
        return decimation;
    }

    double displayRateHz() {
        return displayRateHz;
    }

    int capacity() {
        return capacity;
    }

    double quantum(int channel) {
        return quantum[channel];
    }

    /** The channel an alarm's evidence is taken from: lead II when the stream has one, else the first channel. */
    int preferredChannel() {
        return preferredChannel;
    }

    /** Input blocks that did not start where the previous one ended. */
    long gaps() {
        return gaps.get();
    }

    /** Writer thread: averages the block into display samples and publishes them. */
    void write(SampleBlock block) {
        int length = block.length();
        if (length == 0) {
            return;
        }
        if (block.firstSequence() != expectedSequence) {
            if (expectedSequence != Long.MIN_VALUE) {
                gaps.incrementAndGet();
            }
            summed = 0;
        }
        int channels = data.length;
        long first = block.firstSequence();
        for (int i = 0; i < length; i++) {
            if (summed == 0) {
                sumFirstSequence = first + i;
                for (int c = 0; c < channels; c++) {
                    sum[c] = 0;
                }
            }
            for (int c = 0; c < channels; c++) {
                sum[c] += block.channel(c)[i];
            }
            if (++summed == decimation) {
                int slot = (int) written & mask;
                for (int c = 0; c < channels; c++) {
                    data[c][slot] = (float) (sum[c] / decimation);
                }
                sequences[slot] = sumFirstSequence;
                written++;
                summed = 0;
            }
        }
        published.setRelease(written);
        expectedSequence = block.nextSequence();
    }

    /** Display samples published so far (the index one past the newest). */
    long published() {
        return published.getAcquire();
    }

    /** Reader: the oldest index still safely readable, given what is published now. */
    long oldestReadable() {
        return Math.max(0, published() - capacity + guard());
    }

    /** Slots kept free of readers because the writer may be filling them while they are copied. */
    private int guard() {
        return Math.min(capacity / 4, (int) Math.ceil(displayRateHz));
    }

    float value(int channel, long index) {
        return data[channel][(int) index & mask];
    }

    long sequence(long index) {
        return sequences[(int) index & mask];
    }

    /** Whether {@code index} still held the value read from it, given the writer's progress now. */
    boolean stillValid(long index) {
        return index >= published() - capacity;
    }
}
