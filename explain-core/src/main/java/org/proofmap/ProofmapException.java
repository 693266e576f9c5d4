package org.proofmap;

import java.nio.file.Path;

/**
 * Bad input that the user can fix: a corrupt or unsupported model, a malformed property, a wrong
 * input size, a missing file. The command line prints it as one line, {@code error: <file>: <message>},
 * and exits with code 2; library users get the file and the message separately.
 */
public class ProofmapException extends RuntimeException {
    private final String file;

    public ProofmapException(String file, String message) {
        super(message);
        this.file = file;
    }

    public ProofmapException(String file, String message, Throwable cause) {
        super(message, cause);
        this.file = file;
    }

    public ProofmapException(Path file, String message) {
        this(file == null ? null : file.toString(), message);
    }

    /** The file the problem is in, as the user named it, or {@code null} when there is none. */
    public String file() {
        return file;
    }

    /** The one-line form the command line prints (without the {@code error: } prefix). */
    public String oneLine() {
        String msg = getMessage() == null ? getClass().getSimpleName() : getMessage().replace('\n', ' ');
        return file == null ? msg : file + ": " + msg;
    }

    /** Returns a copy of this problem attributed to {@code file} (used when a parser knows only text). */
    public ProofmapException inFile(String newFile) {
        return new ProofmapException(newFile, getMessage(), this);
    }
}
