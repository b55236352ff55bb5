package org.cardiogate.sensor.ads129x;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Configuration of one ADS1292R or ADS1298, validated against the chip on construction (every error names the field
 * and the allowed values).
 *
 * @param model                 the chip; its ID register is checked at every (re)configuration
 * @param streamId              id of the produced ECG stream (channels in mV)
 * @param rateSps               output data rate: ADS1292R 125..8000, ADS1298 250 (low power) or 500..32000
 * @param gain                  PGA gain of every channel: 1, 2, 3, 4, 6, 8 or 12
 * @param inputs                input multiplexer setting per channel, one per chip channel
 * @param channelNames          lead names, one per chip channel, e.g. {@code I, II}
 * @param rightLegDrive         drive the right leg from the common mode of the NORMAL channels' inputs
 * @param leadOffDetection      enable DC lead-off detection on the NORMAL channels' electrodes
 * @param leadOffCurrentNanoAmps lead-off excitation current: ADS1292R 6, 22, 6000 or 22000 nA; ADS1298 6, 12, 18, 24
 * @param comparatorPercent     lead-off comparator threshold (positive side, % of supply): 95, 92.5, 90, 87.5, 85,
 *                              80, 75 or 70
 * @param testSignal            internal test signal for channels whose input is TEST_SIGNAL
 * @param blockSamples          samples per published block
 * @param ringSlots             blocks in the ring to the DSP thread, a power of two
 */
public record Ads129xConfig(Ads129xModel model, String streamId, int rateSps, int gain, List<Ads129xInput> inputs,
                            List<String> channelNames, boolean rightLegDrive, boolean leadOffDetection,
                            int leadOffCurrentNanoAmps, double comparatorPercent, TestSignal testSignal,
                            int blockSamples, int ringSlots) {

    /** The internal test signal (CONFIG2). */
    public enum TestSignal {
        OFF,
        /** Square wave: ADS1292R 1 Hz, ADS1298 fCLK/2^21 (about 0.98 Hz). */
        SQUARE_SLOW,
        /** ADS1298 only: fCLK/2^20 (about 1.95 Hz). */
        SQUARE_FAST,
        /** Constant level. */
        DC
    }

    public Ads129xConfig {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(streamId, "streamId");
        Objects.requireNonNull(testSignal, "testSignal");
        inputs = List.copyOf(inputs);
        channelNames = List.copyOf(channelNames);
        String p = model + " config: ";
        if (model.config1For(rateSps) < 0) {
            throw new IllegalArgumentException(p + "rateSps " + rateSps + " is not supported; use one of "
                    + java.util.Arrays.toString(model.supportedRates()));
        }
        if (Ads129xModel.gainCode(gain) < 0) {
            throw new IllegalArgumentException(p + "gain " + gain + " is not supported; use 1, 2, 3, 4, 6, 8 or 12");
        }
        if (inputs.size() != model.channels()) {
            throw new IllegalArgumentException(p + "inputs must list " + model.channels() + " channels, got "
                    + inputs.size());
        }
        if (channelNames.size() != model.channels()) {
            throw new IllegalArgumentException(p + "channelNames must list " + model.channels() + " names, got "
                    + channelNames.size());
        }
        if (model.leadOffCurrentCode(leadOffCurrentNanoAmps) < 0) {
            throw new IllegalArgumentException(p + "leadOffCurrentNanoAmps " + leadOffCurrentNanoAmps
                    + " is not supported; use one of " + java.util.Arrays.toString(model.leadOffCurrentsNanoAmps()));
        }
        if (Ads129xModel.comparatorCode(comparatorPercent) < 0) {
            throw new IllegalArgumentException(p + "comparatorPercent " + comparatorPercent
                    + " is not supported; use 95, 92.5, 90, 87.5, 85, 80, 75 or 70");
        }
        if (testSignal == TestSignal.SQUARE_FAST && model != Ads129xModel.ADS1298) {
            throw new IllegalArgumentException(p + "testSignal SQUARE_FAST exists on the ADS1298 only");
        }
        if (blockSamples < 1) {
            throw new IllegalArgumentException(p + "blockSamples must be >= 1, got " + blockSamples);
        }
        if (ringSlots < 2 || Integer.bitCount(ringSlots) != 1) {
            throw new IllegalArgumentException(p + "ringSlots must be a power of two >= 2, got " + ringSlots);
        }
    }

    /**
     * Monitoring defaults: 500 SPS, gain 6, all channels NORMAL, RLD on, lead-off detection at 6 nA with a 95 %
     * comparator, test signal off, 20 ms blocks, 64-slot ring. Channels are named I, II (ADS1292R) or
     * I, II, V1..V6 (ADS1298, 12-lead wiring with WCT).
     */
    public static Ads129xConfig defaults(Ads129xModel model, String streamId) {
        List<Ads129xInput> in = new ArrayList<>();
        for (int i = 0; i < model.channels(); i++) {
            in.add(Ads129xInput.NORMAL);
        }
        List<String> names = model == Ads129xModel.ADS1292R ? List.of("I", "II")
                : List.of("I", "II", "V1", "V2", "V3", "V4", "V5", "V6");
        return new Ads129xConfig(model, streamId, 500, 6, in, names, true, true, 6, 95, TestSignal.OFF, 10, 64);
    }

    /** The same with every channel on {@code input}. */
    public Ads129xConfig withAllInputs(Ads129xInput input) {
        List<Ads129xInput> in = new ArrayList<>();
        for (int i = 0; i < model.channels(); i++) {
            in.add(input);
        }
        return new Ads129xConfig(model, streamId, rateSps, gain, in, channelNames, rightLegDrive, leadOffDetection,
                leadOffCurrentNanoAmps, comparatorPercent, testSignal, blockSamples, ringSlots);
    }

    public Ads129xConfig withRate(int sps) {
        return new Ads129xConfig(model, streamId, sps, gain, inputs, channelNames, rightLegDrive, leadOffDetection,
                leadOffCurrentNanoAmps, comparatorPercent, testSignal, Math.max(1, sps / 50), ringSlots);
    }

    public Ads129xConfig withGain(int g) {
        return new Ads129xConfig(model, streamId, rateSps, g, inputs, channelNames, rightLegDrive, leadOffDetection,
                leadOffCurrentNanoAmps, comparatorPercent, testSignal, blockSamples, ringSlots);
    }

    public Ads129xConfig withLeadOff(boolean enabled, int currentNanoAmps, double thresholdPercent) {
        return new Ads129xConfig(model, streamId, rateSps, gain, inputs, channelNames, rightLegDrive, enabled,
                currentNanoAmps, thresholdPercent, testSignal, blockSamples, ringSlots);
    }

    /** Test-signal bring-up: every channel on the internal test signal. */
    public Ads129xConfig withTestSignal(TestSignal signal) {
        Ads129xConfig c = signal == TestSignal.OFF ? this : withAllInputs(Ads129xInput.TEST_SIGNAL);
        return new Ads129xConfig(model, streamId, rateSps, gain, c.inputs, channelNames, rightLegDrive,
                leadOffDetection, leadOffCurrentNanoAmps, comparatorPercent, signal, blockSamples, ringSlots);
    }

    /** LSB in mV at the configured gain. */
    public double lsbMillivolts() {
        return model.lsbMillivolts(gain);
    }

    /**
     * The register image this configuration programs, indexed by address (entries outside
     * {@link #writtenAddresses()} are unused).
     */
    public int[] registerImage() {
        int[] r = model.resetValues();
        int normalMask = 0;
        for (int c = 0; c < inputs.size(); c++) {
            if (inputs.get(c) == Ads129xInput.NORMAL) {
                normalMask |= 1 << c;
            }
        }
        int gainBits = Ads129xModel.gainCode(gain) << 4;
        int loff = (Ads129xModel.comparatorCode(comparatorPercent) << 5)
                | (model.leadOffCurrentCode(leadOffCurrentNanoAmps) << 2);
        r[Ads129xModel.REG_CONFIG1] = model.config1For(rateSps);
        for (int c = 0; c < inputs.size(); c++) {
            r[model.chSetAddress(c)] = gainBits | inputs.get(c).mux();
        }
        if (model == Ads129xModel.ADS1292R) {
            int config2 = 0x80 | 0x20; // bit 7 must be 1; PDB_REFBUF: internal 2.42 V reference on
            if (leadOffDetection) {
                config2 |= 0x40;
            }
            config2 |= switch (testSignal) {
                case OFF -> 0;
                case DC -> 0x02;
                case SQUARE_SLOW, SQUARE_FAST -> 0x03;
            };
            r[0x02] = config2;
            r[0x03] = loff | 0x10; // bit 4 must be 1; FLEAD_OFF = 0: DC detection
            int sens = 0;
            for (int c = 0; c < 2; c++) {
                if ((normalMask & (1 << c)) != 0) {
                    sens |= 0x3 << (2 * c);
                }
            }
            r[0x06] = rightLegDrive ? 0x20 | sens : 0;
            r[0x07] = leadOffDetection ? sens : 0;
            r[0x08] = 0;
            r[0x09] = 0x02; // RESP1 bit 1 must be 1; respiration off
            r[0x0A] = 0x03; // RESP2: RLDREF_INT (internal (AVDD+AVSS)/2), bit 0 must be 1
        } else {
            r[0x02] = switch (testSignal) {
                case OFF -> 0x00;
                case SQUARE_SLOW -> 0x10;
                case SQUARE_FAST -> 0x11;
                case DC -> 0x13;
            };
            // PD_REFBUF (internal 2.4 V reference), bit 6 must be 1; RLDREF_INT and PD_RLD when driving the leg
            r[0x03] = 0xC0 | (rightLegDrive ? 0x0C : 0);
            r[0x04] = loff;
            r[0x0D] = rightLegDrive ? normalMask : 0;
            r[0x0E] = rightLegDrive ? normalMask : 0;
            r[0x0F] = leadOffDetection ? normalMask : 0;
            r[0x10] = leadOffDetection ? normalMask : 0;
            r[0x11] = 0;
            r[0x17] = leadOffDetection ? 0x02 : 0x00;
        }
        return r;
    }

    /** Register addresses the driver writes, in order. */
    public int[] writtenAddresses() {
        if (model == Ads129xModel.ADS1292R) {
            return new int[] {0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0A};
        }
        return new int[] {0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x0E, 0x0F,
            0x10, 0x11, 0x17};
    }
}
