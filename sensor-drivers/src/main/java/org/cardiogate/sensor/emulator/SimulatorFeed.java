package org.cardiogate.sensor.emulator;

import org.cardiogate.sensor.sim.PhysiologySimulator;
import org.cardiogate.signal.Modality;
import org.cardiogate.signal.SampleBlock;
import org.cardiogate.signal.StreamDescriptor;

/**
 * Plays one stream of a {@link PhysiologySimulator} (ECG in mV, PPG in au, SCG in mg) as an emulated chip's input.
 * Each feed channel is a linear combination of the stream's channels plus an offset, so that for example an 8-channel
 * ECG front-end can get leads I, II and III = II - I, or an accelerometer gets 0 mg on x and y and 1000 mg + SCG on z.
 *
 * <p>The simulator must run at the chip's rate (set it in its configuration) and belongs to this feed: the
 * simulator is single-threaded, so every emulator gets its own (the same seed gives the same signals).
 */
public final class SimulatorFeed implements AnalogFeed {
    private static final int CHUNK = 64;

    private final PhysiologySimulator simulator;
    private final SampleBlock chunk;
    private final double[][] weights;
    private final double[] offsets;
    private int pos = CHUNK;

    /**
     * @param simulator the generator, owned by this feed from now on
     * @param modality  which of its streams to play
     * @param weights   {@code weights[feedChannel][streamChannel]}
     * @param offsets   constant added to each feed channel
     */
    public SimulatorFeed(PhysiologySimulator simulator, Modality modality, double[][] weights, double[] offsets) {
        this.simulator = simulator;
        StreamDescriptor stream = switch (modality) {
            case ECG -> simulator.ecgStream();
            case PPG -> simulator.ppgStream();
            case SCG -> simulator.scgStream();
            default -> throw new IllegalArgumentException("the simulator has no " + modality + " stream");
        };
        if (weights.length != offsets.length) {
            throw new IllegalArgumentException("simulator feed: " + weights.length + " weight rows but "
                    + offsets.length + " offsets");
        }
        for (double[] row : weights) {
            if (row.length != stream.channelCount()) {
                throw new IllegalArgumentException("simulator feed: weight rows need " + stream.channelCount()
                        + " entries (the " + modality + " stream's channels), got " + row.length);
            }
        }
        this.chunk = new SampleBlock(stream, CHUNK);
        this.weights = weights;
        this.offsets = offsets;
    }

    /** Leads I, II, III (= II - I) and the rest at 0 mV, for an ECG front-end with {@code channels} inputs. */
    public static SimulatorFeed ecgLeads(PhysiologySimulator simulator, int channels) {
        double[][] w = new double[channels][2];
        w[0] = new double[] {1, 0};
        if (channels > 1) {
            w[1] = new double[] {0, 1};
        }
        if (channels > 2) {
            w[2] = new double[] {-1, 1};
        }
        return new SimulatorFeed(simulator, Modality.ECG, w, new double[channels]);
    }

    @Override
    public int channels() {
        return weights.length;
    }

    @Override
    public void next(double[] out) {
        if (pos == CHUNK) {
            simulator.fill(chunk);
            pos = 0;
        }
        for (int c = 0; c < weights.length; c++) {
            double v = offsets[c];
            double[] w = weights[c];
            for (int k = 0; k < w.length; k++) {
                v += w[k] * chunk.get(k, pos);
            }
            out[c] = v;
        }
        pos++;
    }
}
