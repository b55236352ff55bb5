package org.cardiogate.signal;

import java.util.List;
import java.util.Objects;

/**
 * Describes one stream of samples: where it comes from and what its channels mean.
 *
 * @param streamId      unique within a gateway, stable across restarts (used in MQTT topics), e.g. {@code "ecg"}
 * @param sensor        the source, e.g. {@code "ADS1292R"}, {@code "simulator"}, {@code "mitdb/100"}
 * @param modality      the physiological signal
 * @param channels      channel names and units, in the order of the sample block's channel index
 * @param nominalRateHz the nominal sample rate in hertz; the real rate may drift from it
 */
public record StreamDescriptor(String streamId, String sensor, Modality modality, List<Channel> channels,
                               double nominalRateHz) {
    public StreamDescriptor {
        Objects.requireNonNull(streamId, "streamId");
        Objects.requireNonNull(sensor, "sensor");
        Objects.requireNonNull(modality, "modality");
        channels = List.copyOf(channels);
        if (!streamId.matches("[A-Za-z0-9_.-]+")) {
            throw new IllegalArgumentException("streamId '" + streamId
                    + "' must use only letters, digits, '_', '.' and '-' (it becomes an MQTT topic level)");
        }
        if (channels.isEmpty()) {
            throw new IllegalArgumentException("stream '" + streamId + "' has no channels");
        }
        if (!(nominalRateHz > 0) || Double.isInfinite(nominalRateHz)) {
            throw new IllegalArgumentException("stream '" + streamId + "' nominal rate must be a positive number of Hz, got "
                    + nominalRateHz);
        }
    }

    public int channelCount() {
        return channels.size();
    }

    /** Index of the channel with this name, or -1. */
    public int channelIndex(String name) {
        for (int i = 0; i < channels.size(); i++) {
            if (channels.get(i).name().equals(name)) {
                return i;
            }
        }
        return -1;
    }

    /** Nominal sample period in nanoseconds. */
    public double nominalPeriodNanos() {
        return 1e9 / nominalRateHz;
    }
}
