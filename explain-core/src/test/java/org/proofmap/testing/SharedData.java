package org.proofmap.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.junit.jupiter.api.Assumptions;

/**
 * Locates {@code ../shared} (the folder beside the repository with reference models, benchmarks and
 * data sets). A fresh user clone has none: tests that need it are then skipped with a visible
 * message. Under CI ({@code CI=true}) a missing {@code ../shared} is an error, never a skip.
 */
public final class SharedData {
    private SharedData() {}

    /** The shared folder, or {@code null} when it is absent. */
    public static Path rootOrNull() {
        String override = System.getenv("PROOFMAP_SHARED");
        if (override != null && Files.isDirectory(Paths.get(override))) {
            return Paths.get(override).toAbsolutePath().normalize();
        }
        String root = System.getProperty("proofmap.root");
        Path start = root != null ? Paths.get(root) : Paths.get("").toAbsolutePath();
        for (Path p = start.toAbsolutePath(); p != null; p = p.getParent()) {
            Path candidate = p.resolveSibling("shared");
            if (p.getParent() != null && Files.isDirectory(candidate.resolve("models-ref"))) {
                return candidate.normalize();
            }
        }
        return null;
    }

    /**
     * The shared folder; skips the calling test (with a message on stderr) when it is absent, and
     * fails it when running under CI.
     */
    public static Path root() {
        Path root = rootOrNull();
        if (root == null) {
            String msg = "../shared not found beside the repository: test needs the shared reference data";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                fail(msg + " (CI=true, so this is an error)");
            }
            System.err.println("SKIPPED: " + msg);
            Assumptions.abort(msg);
        }
        return root;
    }

    /** A path below the shared folder (see {@link #root()} for what happens when it is absent). */
    public static Path resolve(String relative) {
        Path p = root().resolve(relative);
        if (!Files.exists(p)) {
            fail("missing shared file: " + p);
        }
        return p;
    }
}
