package org.proofmap.datasets;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;
import org.proofmap.ProofmapException;

/** Reading whole input files with the project's one-line errors; gzip is recognised by its magic bytes. */
final class InputFiles {
    private InputFiles() {}

    /** The bytes of {@code file}; a missing, unreadable or directory path is a ProofmapException. */
    static byte[] readAll(Path file) {
        String name = file.toString();
        if (Files.isDirectory(file)) {
            throw new ProofmapException(name, "is a directory, not a file");
        }
        try {
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new ProofmapException(name, "file not found");
        } catch (AccessDeniedException e) {
            throw new ProofmapException(name, "permission denied");
        } catch (IOException e) {
            throw new ProofmapException(name, "cannot read file: " + why(e), e);
        } catch (OutOfMemoryError e) {
            // readAllBytes reports a file beyond the 2 GB array limit this way; nothing else is allocated.
            throw new ProofmapException(name, "file too large to read into memory");
        }
    }

    /** True when {@code bytes} start with the gzip magic number 1f 8b. */
    static boolean isGzip(byte[] bytes) {
        return bytes.length >= 2 && (bytes[0] & 0xff) == 0x1f && (bytes[1] & 0xff) == 0x8b;
    }

    /**
     * The bytes of {@code file}, decompressed when they are gzip data. The content decides, not the
     * name: files renamed by a download tool, or a {@code .gz} name on plain data, still work.
     */
    static byte[] readMaybeGzip(Path file) {
        byte[] bytes = readAll(file);
        return isGzip(bytes) ? gunzip(bytes, file.toString()) : bytes;
    }

    private static byte[] gunzip(byte[] bytes, String name) {
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(bytes))) {
            return in.readAllBytes();
        } catch (EOFException e) {
            throw new ProofmapException(name, "truncated gzip data (the download may be incomplete)");
        } catch (ZipException e) {
            throw new ProofmapException(name, "corrupt gzip data: " + why(e));
        } catch (IOException e) {
            throw new ProofmapException(name, "cannot decompress gzip data: " + why(e), e);
        } catch (OutOfMemoryError e) {
            // As in readAll: more than 2 GB of decompressed data.
            throw new ProofmapException(name, "decompressed data too large to hold in memory");
        }
    }

    static String why(Throwable e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().replace('\n', ' ');
    }
}
