package org.cardiogate.sensor.serial;

import java.util.List;
import java.util.Objects;

import org.cardiogate.signal.Modality;

/**
 * A board speaking the {@link FramedProtocol}, validated on construction (errors name the field).
 *
 * @param streamId     id of the produced stream
 * @param sensor       what the board is, for the stream descriptor, e.g. {@code "stm32-ads1293"}
 * @param modality     what it measures
 * @param channelNames one name per channel, e.g. {@code I, II, III}
 * @param unit         unit of the published values, e.g. {@code mV}
 * @param unitsPerLsb  physical value of one code, in {@code unit}
 * @param rateHz       nominal sample rate of the board
 * @param sampleBytes  2 (int16) or 3 (int24) per code on the wire
 * @param sequenceBits 16 or 32
 * @param ringSlots    blocks in the ring to the DSP thread, a power of two
 * @param blockSamples samples per published block
 */
public record FramedBoardConfig(String streamId, String sensor, Modality modality, List<String> channelNames,
                                String unit, double unitsPerLsb, double rateHz, int sampleBytes, int sequenceBits,
                                int ringSlots, int blockSamples) {
    public FramedBoardConfig {
        Objects.requireNonNull(streamId, "streamId");
        Objects.requireNonNull(sensor, "sensor");
        Objects.requireNonNull(modality, "modality");
        Objects.requireNonNull(unit, "unit");
        channelNames = List.copyOf(channelNames);
        String p = "framed board '" + streamId + "': ";
        if (channelNames.isEmpty() || channelNames.size() > FramedProtocol.MAX_CHANNELS) {
            throw new IllegalArgumentException(p + "channelNames must list 1.." + FramedProtocol.MAX_CHANNELS
                    + " channels, got " + channelNames.size());
        }
        if (!(unitsPerLsb > 0) || Double.isInfinite(unitsPerLsb)) {
            throw new IllegalArgumentException(p + "unitsPerLsb must be a positive number, got " + unitsPerLsb);
        }
        if (!(rateHz > 0 && rateHz <= 100_000)) {
            throw new IllegalArgumentException(p + "rateHz must be in (0, 100000], got " + rateHz);
        }
        if (sampleBytes != 2 && sampleBytes != 3) {
            throw new IllegalArgumentException(p + "sampleBytes must be 2 or 3, got " + sampleBytes);
        }
        if (sequenceBits != 16 && sequenceBits != 32) {
            throw new IllegalArgumentException(p + "sequenceBits must be 16 or 32, got " + sequenceBits);
        }
        if (ringSlots < 2 || Integer.bitCount(ringSlots) != 1) {
            throw new IllegalArgumentException(p + "ringSlots must be a power of two >= 2, got " + ringSlots);
        }
        if (blockSamples < 1) {
            throw new IllegalArgumentException(p + "blockSamples must be >= 1, got " + blockSamples);
        }
    }

    /** Two ECG leads (I, II) in mV, int24 at 1 µV per LSB, 500 Hz, 32-bit counter, 10-sample blocks. */
    public static FramedBoardConfig ecgDefaults(String streamId) {
        return new FramedBoardConfig(streamId, "framed-serial", Modality.ECG, List.of("I", "II"), "mV", 0.001, 500,
                3, 32, 64, 10);
    }

    public FramedBoardConfig withSequenceBits(int bits) {
        return new FramedBoardConfig(streamId, sensor, modality, channelNames, unit, unitsPerLsb, rateHz, sampleBytes,
                bits, ringSlots, blockSamples);
    }

    public FramedBoardConfig withSampleBytes(int bytes) {
        return new FramedBoardConfig(streamId, sensor, modality, channelNames, unit, unitsPerLsb, rateHz, bytes,
                sequenceBits, ringSlots, blockSamples);
    }

    /** The wire format. */
    public FramedProtocol protocol() {
        return new FramedProtocol(channelNames.size(), sampleBytes, sequenceBits);
    }
}
