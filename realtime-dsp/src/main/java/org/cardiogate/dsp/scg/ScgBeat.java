package org.cardiogate.dsp.scg;

/**
 * Fiducial points of one SCG beat; the processor fills a reused instance (see where it is handed out).
 * Times are monotonic nanoseconds; {@link #NONE} when not found.
 */
public final class ScgBeat {
    public static final long NONE = Long.MIN_VALUE;

    long aoNanos = NONE;
    long acNanos = NONE;
    double quality;
    double aoAmplitude;

    /** Aortic opening: the AO complex's largest positive peak of the band-passed signal, ns. */
    public long aoNanos() {
        return aoNanos;
    }

    /** Aortic closing: the largest positive peak in the AC window, ns, or {@link #NONE}. */
    public long acNanos() {
        return acNanos;
    }

    /** 0..1: correlation of the beat around AO with the running template (1 while the template is being built). */
    public double quality() {
        return quality;
    }

    /** Band-passed value at AO, in the stream's unit (mg). */
    public double aoAmplitude() {
        return aoAmplitude;
    }

    void clear() {
        aoNanos = NONE;
        acNanos = NONE;
        quality = 0;
        aoAmplitude = 0;
    }
}
