package org.cardiogate.signal.wfdb;

/**
 * One WFDB annotation.
 *
 * @param sample  time of the annotation as a sample number of the record (0 = first sample)
 * @param symbol  the MIT mnemonic of {@code code}, e.g. {@code "N"}, {@code "V"}, {@code "+"}, {@code "("}
 * @param code    the annotation type code ({@code anntyp}), 0 to {@value AnnotationCode#MAX_CODE}
 * @param subtype the subtype ({@code subtyp}), -512 to 511
 * @param channel the signal the annotation refers to ({@code chan}), 0 to 1023
 * @param num     the {@code num} field, -512 to 511 (in delineation files it often tells which wave is meant)
 * @param aux     auxiliary text, e.g. a rhythm {@code "(AFIB"}, or {@code null}; an empty text becomes {@code null}
 */
public record Annotation(long sample, String symbol, int code, int subtype, int channel, int num, String aux) {
    public Annotation {
        if (code < 0 || code > AnnotationCode.MAX_CODE) {
            throw new IllegalArgumentException("annotation code " + code + " is outside 0.." + AnnotationCode.MAX_CODE);
        }
        if (!AnnotationCode.mnemonic(code).equals(symbol)) {
            throw new IllegalArgumentException("symbol '" + symbol + "' does not match code " + code + " ('"
                    + AnnotationCode.mnemonic(code) + "')");
        }
        if (subtype < -512 || subtype > 511) {
            throw new IllegalArgumentException("subtype " + subtype + " is outside -512..511");
        }
        if (num < -512 || num > 511) {
            throw new IllegalArgumentException("num " + num + " is outside -512..511");
        }
        if (channel < 0 || channel > 1023) {
            throw new IllegalArgumentException("channel " + channel + " is outside 0..1023");
        }
        if (aux != null && aux.isEmpty()) {
            aux = null;
        }
    }

    /** An annotation with subtype, channel and num 0 and no aux text. */
    public static Annotation of(long sample, int code) {
        return new Annotation(sample, AnnotationCode.mnemonic(code), code, 0, 0, 0, null);
    }

    /** An annotation from its mnemonic, with subtype, channel and num 0 and no aux text. */
    public static Annotation of(long sample, String symbol) {
        return of(sample, AnnotationCode.code(symbol));
    }

    /** An annotation with every field given; the symbol follows from the code. */
    public static Annotation of(long sample, int code, int subtype, int channel, int num, String aux) {
        return new Annotation(sample, AnnotationCode.mnemonic(code), code, subtype, channel, num, aux);
    }

    /** Whether this annotation marks a beat (WFDB's {@code isqrs}). */
    public boolean isBeat() {
        return AnnotationCode.isBeat(code);
    }
}
