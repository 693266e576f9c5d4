package org.proofmap.bounds;

import java.util.Arrays;

/**
 * Per element of a value, the {@code keep} largest of the numbers offered for it ({@code sign ·}
 * the sampled values: the top or, negated, the bottom order statistics of {@link PtLirpa}).
 *
 * <p>Each element has a pool of {@code 2·keep} slots and an entry bar. A number above the bar is
 * appended; when the pool is full, a selection (quickselect) moves its {@code keep} largest to the
 * front, the rest is dropped and the bar becomes the smallest one kept — no number at or below it
 * can be among the {@code keep} largest any more. That costs a constant per accepted number on
 * average, where a heap costs a sift of {@code log2(keep)} branchy steps, and about half of 1000
 * samples are accepted at {@code keep = 179}. The bars lie in one array, so the scan of a sample
 * over all elements reads it in order. The result, the {@code keep} largest numbers, depends only
 * on the numbers offered, not on their order or on how they were split among instances.
 */
final class TopValues {
    private final int size;
    private final int keep;
    private final int capacity;
    private final double[] pool;
    private final int[] count;
    private final double[] bar;

    TopValues(int size, int keep) {
        this.size = size;
        this.keep = keep;
        this.capacity = 2 * keep;
        this.pool = new double[size * capacity];
        this.count = new int[size];
        this.bar = new double[size];
        Arrays.fill(bar, Double.NEGATIVE_INFINITY);
    }

    /** Offers {@code batch} samples of the value ({@code buf}: sample-major, {@code size} per sample). */
    void offer(double[] buf, int batch, double sign) {
        for (int s = 0; s < batch; s++) {
            int o = s * size;
            for (int i = 0; i < size; i++) {
                double y = sign * buf[o + i];
                if (y > bar[i]) {
                    add(i, y);
                }
            }
        }
    }

    private void add(int i, double y) {
        int base = i * capacity;
        int c = count[i];
        pool[base + c] = y;
        if (++c == capacity) {
            selectLargest(pool, base, base + capacity, keep);
            c = keep;
            double min = pool[base];
            for (int j = base + 1; j < base + keep; j++) {
                min = Math.min(min, pool[j]);
            }
            bar[i] = min;
        }
        count[i] = c;
    }

    /** Adds the numbers kept by {@code other} (same shape). */
    void merge(TopValues other) {
        for (int i = 0; i < size; i++) {
            int base = i * capacity;
            for (int j = 0; j < other.count[i]; j++) {
                double y = other.pool[base + j];
                if (y > bar[i]) {
                    add(i, y);
                }
            }
        }
    }

    /**
     * The {@code keep} largest numbers of element {@code i}, largest first, into {@code out};
     * needs at least {@code keep} numbers offered.
     */
    void sortedDescending(int i, double[] out) {
        int c = count[i];
        if (c < keep) {
            throw new IllegalStateException("only " + c + " numbers for the " + keep + " largest");
        }
        double[] all = Arrays.copyOfRange(pool, i * capacity, i * capacity + c);
        Arrays.sort(all);
        for (int j = 0; j < keep; j++) {
            out[j] = all[c - 1 - j];
        }
    }

    /**
     * Rearranges {@code a[from, to)} so that its {@code k} largest numbers come first (in no order):
     * Hoare-partition quickselect with the median of three as pivot.
     */
    static void selectLargest(double[] a, int from, int to, int k) {
        int lo = from;
        int hi = to - 1;
        int target = from + k - 1; // the position of the k-th largest in descending order
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            double p = median(a[lo], a[mid], a[hi]);
            int l = lo;
            int r = hi;
            while (l <= r) {
                while (a[l] > p) {
                    l++;
                }
                while (a[r] < p) {
                    r--;
                }
                if (l <= r) {
                    double t = a[l];
                    a[l] = a[r];
                    a[r] = t;
                    l++;
                    r--;
                }
            }
            // Now a[lo..r] >= p >= a[l..hi] and everything between equals p.
            if (target <= r) {
                hi = r;
            } else if (target >= l) {
                lo = l;
            } else {
                return;
            }
        }
    }

    private static double median(double a, double b, double c) {
        return Math.max(Math.min(a, b), Math.min(Math.max(a, b), c));
    }
}
