package org.cardiogate.dsp.delineation;

/**
 * Receives each delineated beat from a {@link BeatDelineator}, on the thread that feeds the delineator. The object is
 * reused for the next beat: copy what must outlive the call. An implementation must not block.
 */
@FunctionalInterface
public interface DelineationListener {

    /** The boundaries of one beat, in increasing R order. */
    void onDelineation(BeatDelineation beat);
}
