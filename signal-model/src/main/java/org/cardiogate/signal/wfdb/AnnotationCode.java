package org.cardiogate.signal.wfdb;

/**
 * The standard WFDB annotation type codes ({@code anntyp}, 0 to 49) of {@code ecgcodes.h}, their mnemonics as printed
 * by {@code rdann}, and the set of codes that denote a beat (WFDB's {@code isqrs}).
 */
public final class AnnotationCode {
    public static final int NOTQRS = 0;
    public static final int NORMAL = 1;
    public static final int LBBB = 2;
    public static final int RBBB = 3;
    public static final int ABERR = 4;
    public static final int PVC = 5;
    public static final int FUSION = 6;
    public static final int NPC = 7;
    public static final int APC = 8;
    public static final int SVPB = 9;
    public static final int VESC = 10;
    public static final int NESC = 11;
    public static final int PACE = 12;
    public static final int UNKNOWN = 13;
    public static final int NOISE = 14;
    public static final int ARFCT = 16;
    public static final int STCH = 18;
    public static final int TCH = 19;
    public static final int SYSTOLE = 20;
    public static final int DIASTOLE = 21;
    public static final int NOTE = 22;
    public static final int MEASURE = 23;
    public static final int PWAVE = 24;
    public static final int BBB = 25;
    public static final int PACESP = 26;
    public static final int TWAVE = 27;
    public static final int RHYTHM = 28;
    public static final int UWAVE = 29;
    public static final int LEARN = 30;
    public static final int FLWAV = 31;
    public static final int VFON = 32;
    public static final int VFOFF = 33;
    public static final int AESC = 34;
    public static final int SVESC = 35;
    public static final int LINK = 36;
    public static final int NAPC = 37;
    public static final int PFUS = 38;
    /** Waveform onset, e.g. the start of a P wave or QRS complex in delineation files (also WFDB's {@code PQ}). */
    public static final int WFON = 39;
    /** Waveform end (also WFDB's {@code JPT}). */
    public static final int WFOFF = 40;
    public static final int RONT = 41;
    /** The largest standard code; the MIT format can carry codes up to 58 (59 to 63 are pseudo-codes). */
    public static final int ACMAX = 49;
    /** The largest code an MIT-format annotation word can carry as an annotation type. */
    public static final int MAX_CODE = 58;

    private static final String[] MNEMONICS = {
            " ", "N", "L", "R", "a", "V", "F", "J", "A", "S",
            "E", "j", "/", "Q", "~", "[15]", "|", "[17]", "s", "T",
            "*", "D", "\"", "=", "p", "B", "^", "t", "+", "u",
            "?", "!", "[", "]", "e", "n", "@", "x", "f", "(",
            ")", "r", "[42]", "[43]", "[44]", "[45]", "[46]", "[47]", "[48]", "[49]"};

    private static final boolean[] BEAT = new boolean[MAX_CODE + 1];

    static {
        for (int c : new int[] {NORMAL, LBBB, RBBB, ABERR, PVC, FUSION, NPC, APC, SVPB, VESC, NESC, PACE, UNKNOWN,
                BBB, AESC, SVESC, PFUS, RONT}) {
            BEAT[c] = true;
        }
    }

    private AnnotationCode() {
    }

    /** The mnemonic of a code, e.g. {@code "N"} for 1; {@code "[n]"} for codes without one. */
    public static String mnemonic(int code) {
        return code >= 0 && code <= ACMAX ? MNEMONICS[code] : "[" + code + "]";
    }

    /**
     * The code of a mnemonic, e.g. 5 for {@code "V"}; also accepts the {@code "[n]"} form for codes 0 to 58.
     *
     * @throws IllegalArgumentException for an unknown mnemonic
     */
    public static int code(String mnemonic) {
        for (int c = 0; c <= ACMAX; c++) {
            if (MNEMONICS[c].equals(mnemonic)) {
                return c;
            }
        }
        if (mnemonic.length() > 2 && mnemonic.startsWith("[") && mnemonic.endsWith("]")) {
            try {
                int c = Integer.parseInt(mnemonic.substring(1, mnemonic.length() - 1));
                if (c > ACMAX && c <= MAX_CODE) {
                    return c;
                }
            } catch (NumberFormatException e) {
                // fall through to the error below
            }
        }
        throw new IllegalArgumentException("'" + mnemonic + "' is not a WFDB annotation mnemonic");
    }

    /** Whether the code denotes a QRS complex (WFDB's {@code isqrs}): N L R a V F J A S E j / Q B e n f r. */
    public static boolean isBeat(int code) {
        return code >= 0 && code <= MAX_CODE && BEAT[code];
    }
}
