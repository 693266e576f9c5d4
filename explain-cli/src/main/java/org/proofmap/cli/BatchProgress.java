package org.proofmap.cli;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Progress of a batch on standard error: a progress bar (the progressbar library) when standard
 * error is a terminal, else one plain line per finished instance, so logs of CI and of redirected
 * runs stay readable (no carriage returns, no escape sequences).
 */
abstract class BatchProgress implements AutoCloseable {
    /**
     * Set by {@link ProofmapCommand#main}: the commands write to the process's own standard error
     * (not to a stream captured by a test or an embedding program).
     */
    static volatile boolean processStderr;

    /** The bar when standard error is an interactive terminal, else plain lines on {@code err}. */
    static BatchProgress create(PrintWriter err) {
        if (stderrIsTerminal()) {
            err.flush();
            return new Bar(new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8), 0);
        }
        return new Lines(err);
    }

    /**
     * Whether the process's standard error is an interactive terminal: only when the commands write
     * to it, TERM is not {@code dumb}, CI is not set, and (on Linux) file descriptor 2 is a tty;
     * elsewhere Java's console test stands in.
     */
    static boolean stderrIsTerminal() {
        if (!processStderr) {
            return false;
        }
        if ("dumb".equals(System.getenv("TERM")) || "true".equalsIgnoreCase(System.getenv("CI"))) {
            return false;
        }
        Path fd = Path.of("/proc/self/fd/2");
        if (Files.exists(fd, LinkOption.NOFOLLOW_LINKS)) {
            try {
                String target = Files.readSymbolicLink(fd).toString();
                return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
            } catch (IOException | UnsupportedOperationException | SecurityException e) {
                return false;
            }
        }
        return System.console() != null;
    }

    /** The batch begins: {@code total} instances, of which {@code done} are already in the results. */
    abstract void start(int total, int done, String resultsFile);

    /** An instance starts ({@code name} is short, for display). */
    abstract void started(String name);

    /** An instance ended: {@code done} of {@code total} are now in the results. */
    abstract void finished(int done, int total, String onnx, String vnnlib, String result, double seconds);

    /** A line that must be seen (a wrong verdict). */
    abstract void warn(String line);

    @Override
    public abstract void close();

    static String seconds(double s) {
        return String.format(Locale.ROOT, "%.2f s", s);
    }

    /** One line per instance. */
    static final class Lines extends BatchProgress {
        private final PrintWriter err;

        Lines(PrintWriter err) {
            this.err = err;
        }

        @Override
        void start(int total, int done, String resultsFile) {
            err.println("verify: " + total + " instance" + (total == 1 ? "" : "s") + ", " + done + " already in "
                    + resultsFile + ", " + (total - done) + " to run");
            err.flush();
        }

        @Override
        void started(String name) {
            // nothing: one line when it ends
        }

        @Override
        void finished(int done, int total, String onnx, String vnnlib, String result, double seconds) {
            int w = Integer.toString(total).length();
            err.println("[" + String.format(Locale.ROOT, "%" + w + "d", done) + "/" + total + "] " + onnx + " "
                    + vnnlib + ": " + result + " in " + seconds(seconds));
            err.flush();
        }

        @Override
        void warn(String line) {
            err.println(line);
            err.flush();
        }

        @Override
        public void close() {
            err.flush();
        }
    }

    /**
     * The progress bar, redrawn in place on a terminal. The line is always ended when the bar closes
     * (the library leaves it open when it is closed before its first scheduled redraw).
     */
    static final class Bar extends BatchProgress {
        private final LastByte tracker;
        private final PrintStream out;
        private final int width;
        private ProgressBar bar;

        /** {@code width} of the line, or 0 to ask the terminal. */
        Bar(PrintStream out, int width) {
            this.tracker = new LastByte(out);
            this.out = new PrintStream(tracker, true, StandardCharsets.UTF_8);
            this.width = width;
        }

        @Override
        void start(int total, int done, String resultsFile) {
            if (done >= total) {
                return; // nothing to run: no bar
            }
            ProgressBarBuilder b = ProgressBar.builder()
                    .setTaskName("verify")
                    .setInitialMax(total)
                    .setStyle(ProgressBarStyle.ASCII)
                    .setUpdateIntervalMillis(500)
                    .setConsumer(width > 0 ? new ConsoleProgressBarConsumer(out, width)
                            : new ConsoleProgressBarConsumer(out))
                    .startsFrom(done, Duration.ZERO);
            bar = b.build();
        }

        @Override
        void started(String name) {
            if (bar != null) {
                bar.setExtraMessage(name);
            }
        }

        @Override
        void finished(int done, int total, String onnx, String vnnlib, String result, double seconds) {
            if (bar != null) {
                bar.stepTo(done);
            }
        }

        @Override
        synchronized void warn(String line) {
            // Over the bar's line (clearing the rest of it); the bar is redrawn below at its next update.
            out.print("\r" + line + "\u001b[K\n");
            out.flush();
        }

        @Override
        public void close() {
            if (bar != null) {
                bar.close();
                bar = null;
            }
            out.flush();
            if (tracker.last != -1 && tracker.last != '\n') {
                out.print('\n');
                out.flush();
            }
        }
    }

    /** Passes bytes through and remembers the last one written (-1 before any). */
    private static final class LastByte extends FilterOutputStream {
        volatile int last = -1;

        LastByte(OutputStream out) {
            super(out);
        }

        @Override
        public synchronized void write(int b) throws IOException {
            out.write(b);
            last = b & 0xff;
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            if (len > 0) {
                last = b[off + len - 1] & 0xff;
            }
        }
    }
}
