package org.cardiogate.sensor.serial;

import java.util.List;
import java.util.Objects;

import org.cardiogate.signal.Modality;

/**
 * An OpenBCI Cyton board (8 channels at 250 Hz, published in mV), validated on construction.
 *
 * @param streamId     id of the produced stream
 * @param modality     ECG for chest leads (EEG boards are OTHER)
 * @param channelNames 8 names, one per Cyton channel N1P..N8P
 * @param gain         ADS1299 PGA gain the board firmware uses: 1, 2, 4, 6, 8, 12 or 24 (firmware default 24)
 * @param ringSlots    blocks in the ring to the DSP thread, a power of two
 * @param blockSamples samples per published block
 */
public record CytonConfig(String streamId, Modality modality, List<String> channelNames, int gain, int ringSlots,
                          int blockSamples) {
    public CytonConfig {
        Objects.requireNonNull(streamId, "streamId");
        Objects.requireNonNull(modality, "modality");
        channelNames = List.copyOf(channelNames);
        String p = "Cyton '" + streamId + "': ";
        if (channelNames.size() != CytonProtocol.CHANNELS) {
            throw new IllegalArgumentException(p + "channelNames must list 8 names, got " + channelNames.size());
        }
        try {
            CytonProtocol.lsbMillivolts(gain);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(p + "gain: " + e.getMessage(), e);
        }
        if (ringSlots < 2 || Integer.bitCount(ringSlots) != 1) {
            throw new IllegalArgumentException(p + "ringSlots must be a power of two >= 2, got " + ringSlots);
        }
        if (blockSamples < 1) {
            throw new IllegalArgumentException(p + "blockSamples must be >= 1, got " + blockSamples);
        }
    }

    /** ECG on channels named ch1..ch8, gain 24, 10-sample blocks. */
    public static CytonConfig defaults(String streamId) {
        return new CytonConfig(streamId, Modality.ECG,
                List.of("ch1", "ch2", "ch3", "ch4", "ch5", "ch6", "ch7", "ch8"), CytonProtocol.DEFAULT_GAIN, 64, 10);
    }
}
