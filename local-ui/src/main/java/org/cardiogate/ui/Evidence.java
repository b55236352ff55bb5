package org.cardiogate.ui;

import java.util.Objects;

import org.cardiogate.signal.CardiacEvent;

/**
 * A waveform snippet kept as evidence of an event: one channel at display rate from about
 * {@link LiveState#EVIDENCE_SECONDS} before to as long after the onset (less when the stream had not been seen for
 * that long, or when it stopped).
 *
 * @param id          identifier used in {@code /api/evidence/{id}}
 * @param event       the event it documents
 * @param channel     the channel name, e.g. {@code "II"}
 * @param unit        unit of {@code values}
 * @param rateHz      display sample rate of {@code values}
 * @param onsetIndex  index in {@code values} of the event's onset sample (may lie outside when the onset is older
 *                    than what was kept)
 * @param values      the samples
 */
public record Evidence(String id, CardiacEvent event, String channel, String unit, double rateHz, int onsetIndex,
                       float[] values) {
    public Evidence {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(event, "event");
        values = values.clone();
    }

    @Override
    public float[] values() {
        return values.clone();
    }

    float[] valuesShared() {
        return values;
    }
}
