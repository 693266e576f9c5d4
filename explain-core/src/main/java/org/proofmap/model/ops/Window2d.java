package org.proofmap.model.ops;

import org.proofmap.model.Attributes;
import org.proofmap.model.ModelException;
import org.proofmap.model.Shape;

/**
 * The sliding-window geometry shared by Conv, AveragePool and MaxPool on NCHW data: kernel size,
 * strides, dilations and padding (explicit, or {@code auto_pad} SAME_UPPER / SAME_LOWER / VALID),
 * with {@code ceil_mode} for pools.
 */
record Window2d(int channels, int inH, int inW, int kH, int kW, int strideH, int strideW, int dilH, int dilW,
        int padTop, int padLeft, int padBottom, int padRight, int outH, int outW) {

    /** Reads the window attributes for input {@code x} (shape 1xCxHxW) and kernel {@code kH x kW}. */
    static Window2d of(Attributes at, Shape x, int kH, int kW, boolean allowCeil) {
        if (x.rank() != 4) {
            throw new ModelException("expects a 4-D NCHW input, found shape " + x
                    + " (only 2-D convolution and pooling are supported)");
        }
        int c = x.dim(1);
        int h = x.dim(2);
        int w = x.dim(3);
        long[] strides = at.getInts("strides");
        long[] dil = at.getInts("dilations");
        int sh = strides == null ? 1 : (int) check(strides, 2, "strides")[0];
        int sw = strides == null ? 1 : (int) strides[1];
        int dh = dil == null ? 1 : (int) check(dil, 2, "dilations")[0];
        int dw = dil == null ? 1 : (int) dil[1];
        if (sh < 1 || sw < 1 || dh < 1 || dw < 1) {
            throw new ModelException("strides and dilations must be positive");
        }
        boolean ceil = allowCeil && at.getInt("ceil_mode", 0) != 0;
        String autoPad = at.getString("auto_pad", "NOTSET");
        int effH = (kH - 1) * dh + 1;
        int effW = (kW - 1) * dw + 1;
        int pt;
        int pl;
        int pb;
        int pr;
        switch (autoPad) {
            case "NOTSET", "" -> {
                long[] pads = at.getInts("pads");
                if (pads == null) {
                    pads = new long[4];
                }
                check(pads, 4, "pads");
                pt = (int) pads[0];
                pl = (int) pads[1];
                pb = (int) pads[2];
                pr = (int) pads[3];
            }
            case "VALID" -> {
                pt = 0;
                pl = 0;
                pb = 0;
                pr = 0;
            }
            case "SAME_UPPER", "SAME_LOWER" -> {
                int totalH = Math.max(0, (ceilDiv(h, sh) - 1) * sh + effH - h);
                int totalW = Math.max(0, (ceilDiv(w, sw) - 1) * sw + effW - w);
                boolean upper = autoPad.equals("SAME_UPPER");
                pt = upper ? totalH / 2 : totalH - totalH / 2;
                pb = totalH - pt;
                pl = upper ? totalW / 2 : totalW - totalW / 2;
                pr = totalW - pl;
            }
            default -> throw new ModelException("unknown auto_pad '" + autoPad + "'");
        }
        if (pt < 0 || pl < 0 || pb < 0 || pr < 0) {
            throw new ModelException("negative pads are not supported");
        }
        int oh = outSize(h, pt, pb, effH, sh, ceil);
        int ow = outSize(w, pl, pr, effW, sw, ceil);
        if (oh <= 0 || ow <= 0) {
            throw new ModelException("kernel " + kH + "x" + kW + " does not fit input " + x + " with these pads");
        }
        return new Window2d(c, h, w, kH, kW, sh, sw, dh, dw, pt, pl, pb, pr, oh, ow);
    }

    private static int outSize(int in, int padBegin, int padEnd, int eff, int stride, boolean ceil) {
        int span = in + padBegin + padEnd - eff;
        if (span < 0) {
            return 0;
        }
        int out = (ceil ? ceilDiv(span, stride) : span / stride) + 1;
        if (ceil && (out - 1) * stride >= in + padBegin) {
            out--; // the last window would start in the end padding
        }
        return out;
    }

    private static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }

    private static long[] check(long[] v, int n, String name) {
        if (v.length != n) {
            throw new ModelException("attribute '" + name + "' must have " + n + " values for 2-D data, found "
                    + v.length);
        }
        return v;
    }

    /** First input row of output row {@code oh} (may be negative: padding). */
    int rowStart(int oh) {
        return oh * strideH - padTop;
    }

    int colStart(int ow) {
        return ow * strideW - padLeft;
    }
}
