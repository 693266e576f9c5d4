package org.proofmap.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import org.proofmap.ProofmapException;
import org.proofmap.model.Shape;

/** Small printing helpers shared by the commands: JSON, aligned tables, numbers, digests. */
final class Output {
    static final ObjectMapper JSON = new ObjectMapper();

    private Output() {}

    static ObjectNode object() {
        return JSON.createObjectNode();
    }

    /** One JSON value on one line. */
    static String json(Object node) {
        try {
            return JSON.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ArrayNode array(double[] values) {
        ArrayNode a = JSON.createArrayNode();
        for (double v : values) {
            a.add(v);
        }
        return a;
    }

    static ArrayNode array(int[] values) {
        ArrayNode a = JSON.createArrayNode();
        for (int v : values) {
            a.add(v);
        }
        return a;
    }

    static ArrayNode shape(Shape s) {
        return array(s.dims());
    }

    /**
     * A number as written in a formula: integers without a decimal point ({@code -1}, {@code 0}),
     * others in the shortest form that reads back exactly ({@link Double#toString(double)}).
     */
    static String num(double v) {
        if (v == 0) {
            return "0";
        }
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return Double.toString(v);
    }

    /** A summary statistic with six significant digits. */
    static String approx(double v) {
        if (v == 0 || (v == Math.rint(v) && Math.abs(v) < 1e15)) {
            return num(v);
        }
        String s = String.format(Locale.ROOT, "%.6g", v);
        if (s.contains("e")) {
            return s;
        }
        if (s.contains(".")) {
            s = s.replaceAll("0+$", "");
            s = s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
        }
        return s;
    }

    /** Hex SHA-256 of a file. */
    static String sha256(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchFileException e) {
            throw new ProofmapException(file, "file not found");
        } catch (IOException e) {
            throw new ProofmapException(file.toString(), "cannot read file: " + e.getMessage(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    /** A text table: columns padded to their widest cell, right-aligned where asked. */
    static final class Table {
        private final String[] header;
        private final boolean[] rightAligned;
        private final List<String[]> rows = new ArrayList<>();

        Table(String[] header, boolean[] rightAligned) {
            this.header = header;
            this.rightAligned = rightAligned;
        }

        void add(Object... cells) {
            String[] r = new String[header.length];
            for (int i = 0; i < r.length; i++) {
                r[i] = String.valueOf(cells[i]);
            }
            rows.add(r);
        }

        /** The lines of the table, each starting with {@code indent}, without trailing spaces. */
        List<String> lines(String indent) {
            int[] w = new int[header.length];
            for (int i = 0; i < w.length; i++) {
                w[i] = header[i].length();
                for (String[] r : rows) {
                    w[i] = Math.max(w[i], r[i].length());
                }
            }
            List<String> out = new ArrayList<>();
            out.add(line(indent, header, w));
            for (String[] r : rows) {
                out.add(line(indent, r, w));
            }
            return out;
        }

        private String line(String indent, String[] cells, int[] w) {
            StringBuilder sb = new StringBuilder(indent);
            for (int i = 0; i < cells.length; i++) {
                if (i > 0) {
                    sb.append("  ");
                }
                String pad = " ".repeat(w[i] - cells[i].length());
                sb.append(rightAligned[i] ? pad + cells[i] : cells[i] + pad);
            }
            return sb.toString().stripTrailing();
        }
    }
}
