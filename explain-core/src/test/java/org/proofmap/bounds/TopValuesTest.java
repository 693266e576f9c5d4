package org.proofmap.bounds;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The kept numbers are exactly the largest ones, however the numbers arrive and are split. */
class TopValuesTest {
    @Test
    void keepsExactlyTheLargestNumbersAcrossBatchesAndMerges() {
        SplittableRandom r = new SplittableRandom(8);
        int size = 5;
        for (int keep : new int[] {1, 2, 7, 40}) {
            for (double sign : new double[] {1, -1}) {
                int n = 1000;
                double[] values = new double[n * size];
                for (int j = 0; j < values.length; j++) {
                    // Few distinct values in element 0 (ties), a continuum elsewhere.
                    values[j] = j % size == 0 ? r.nextInt(6) : r.nextGaussian();
                }
                // Three instances take different shares; the first merges the others.
                TopValues[] parts = {new TopValues(size, keep), new TopValues(size, keep), new TopValues(size, keep)};
                int[] ends = {130, 700, n};
                int from = 0;
                for (int p = 0; p < 3; p++) {
                    for (int s = from; s < ends[p]; s += 50) {
                        int b = Math.min(50, ends[p] - s);
                        parts[p].offer(Arrays.copyOfRange(values, s * size, (s + b) * size), b, sign);
                    }
                    from = ends[p];
                }
                parts[0].merge(parts[1]);
                parts[0].merge(parts[2]);
                for (int i = 0; i < size; i++) {
                    double[] all = new double[n];
                    for (int s = 0; s < n; s++) {
                        all[s] = sign * values[s * size + i];
                    }
                    Arrays.sort(all);
                    double[] want = new double[keep];
                    for (int j = 0; j < keep; j++) {
                        want[j] = all[n - 1 - j];
                    }
                    double[] got = new double[keep];
                    parts[0].sortedDescending(i, got);
                    assertArrayEquals(want, got, 0.0, "keep " + keep + " sign " + sign + " element " + i);
                }
            }
        }
    }

    @Test
    void selectionPutsTheLargestFirst() {
        SplittableRandom r = new SplittableRandom(2);
        for (int t = 0; t < 200; t++) {
            int len = 1 + r.nextInt(60);
            int k = 1 + r.nextInt(len);
            double[] a = new double[len + 4];
            for (int j = 0; j < a.length; j++) {
                a[j] = r.nextInt(8) - 3.5;
            }
            double[] sorted = Arrays.copyOfRange(a, 2, 2 + len);
            Arrays.sort(sorted);
            TopValues.selectLargest(a, 2, 2 + len, k);
            double[] front = Arrays.copyOfRange(a, 2, 2 + k);
            Arrays.sort(front);
            assertArrayEquals(Arrays.copyOfRange(sorted, len - k, len), front, 0.0, "len " + len + " k " + k);
        }
    }

    @Test
    void tooFewNumbersIsAnError() {
        TopValues v = new TopValues(1, 3);
        v.offer(new double[] {1, 2}, 2, 1);
        assertThrows(IllegalStateException.class, () -> v.sortedDescending(0, new double[3]));
    }
}
