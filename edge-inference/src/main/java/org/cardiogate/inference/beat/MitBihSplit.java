package org.cardiogate.inference.beat;

import java.util.List;

/**
 * The inter-patient split of the MIT-BIH Arrhythmia Database (de Chazal et al. 2004), paced records 102, 104, 107
 * and 217 left out. DS1 trains (and, split by record, validates); DS2 is for the final evaluation only.
 */
public final class MitBihSplit {
    /** Training records. */
    public static final List<String> DS1 = List.of("101", "106", "108", "109", "112", "114", "115", "116", "118",
            "119", "122", "124", "201", "203", "205", "207", "208", "209", "215", "220", "223", "230");
    /** Evaluation records: never used for training, model selection or threshold tuning. */
    public static final List<String> DS2 = List.of("100", "103", "105", "111", "113", "117", "121", "123", "200",
            "202", "210", "212", "213", "214", "219", "221", "222", "228", "231", "232", "233", "234");

    private MitBihSplit() {
    }
}
