package org.cardiogate.dsp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Random;

import org.junit.jupiter.api.Test;

/** The shared medians and selection agree with a full sort, for odd and even lengths and with repeated values. */
class OrderStatisticsTest {

    @Test
    void medianAndSelectionAgreeWithAFullSort() {
        Random random = new Random(3);
        for (int trial = 0; trial < 2000; trial++) {
            int n = 1 + random.nextInt(40);
            double[] values = new double[n];
            for (int i = 0; i < n; i++) {
                // a coarse grid, so that ties are common
                values[i] = random.nextInt(12) - 6 + (random.nextBoolean() ? 0.5 : 0);
            }
            double[] sorted = values.clone();
            Arrays.sort(sorted);
            double median = (n & 1) == 1 ? sorted[n / 2] : 0.5 * (sorted[n / 2 - 1] + sorted[n / 2]);
            double[] scratch = new double[n];
            double[] untouched = values.clone();
            assertThat(OrderStatistics.median(values, n, scratch)).isEqualTo(median);
            assertThat(values).containsExactly(untouched);
            assertThat(OrderStatistics.median(values.clone(), n)).isEqualTo(median);
            int k = random.nextInt(n);
            assertThat(OrderStatistics.select(values.clone(), n, k)).isEqualTo(sorted[k]);
        }
    }
}
