package org.proofmap.datasets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.function.Executable;
import org.proofmap.ProofmapException;

/** Small data files written by the tests themselves, so that nothing depends on ../shared. */
final class Fixtures {
    private Fixtures() {}

    /** An IDX images file: {@code pixels} holds count * rows * cols unsigned bytes. */
    static byte[] idxImages(int count, int rows, int cols, byte[] pixels) {
        ByteBuffer b = ByteBuffer.allocate(16 + pixels.length); // big-endian, as IDX is
        b.putInt(IdxDataset.IMAGES_MAGIC).putInt(count).putInt(rows).putInt(cols).put(pixels);
        return b.array();
    }

    static byte[] idxLabels(int... labels) {
        ByteBuffer b = ByteBuffer.allocate(8 + labels.length);
        b.putInt(IdxDataset.LABELS_MAGIC).putInt(labels.length);
        for (int l : labels) {
            b.put((byte) l);
        }
        return b.array();
    }

    static byte[] gzip(byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** Bytes start, start + 7, start + 14, ... (wrapping at 256): neighbours always differ. */
    static byte[] ramp(int n, int start) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (start + i * 7);
        }
        return b;
    }

    static Path write(Path file, byte[] bytes) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            return Files.write(file, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Runs {@code call}, which must fail with a one-line ProofmapException naming {@code file}, and
     * returns its message (without the file).
     */
    static String failure(Path file, Executable call) {
        ProofmapException e = assertThrows(ProofmapException.class, call);
        assertEquals(file.toString(), e.file());
        assertTrue(e.oneLine().startsWith(file + ": "), e.oneLine());
        assertFalse(e.oneLine().contains("\n"), e.oneLine());
        return e.getMessage();
    }
}
