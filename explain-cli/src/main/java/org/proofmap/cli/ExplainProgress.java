package org.proofmap.cli;

import java.io.PrintWriter;
import java.util.BitSet;
import java.util.Locale;
import org.proofmap.explain.ExplanationSearch;
import org.proofmap.explain.OracleVerdict;
import org.proofmap.explain.Outcome;

/**
 * Progress of one explanation on standard error: a line at most every {@code interval} seconds with
 * how many features are settled and how, so that a run of many minutes (exact queries near the
 * decision boundary) shows it is moving. Plain lines, readable in logs and on terminals alike.
 */
final class ExplainProgress implements ExplanationSearch.Listener, AutoCloseable {
    private final PrintWriter err;
    private final int features;
    private final long intervalNanos;
    private final long start = System.nanoTime();
    private long last = start;
    private final BitSet irrelevant = new BitSet();
    private final BitSet relevant = new BitSet();
    private final BitSet unknown = new BitSet();
    private int lastQuery;
    private java.util.concurrent.ScheduledExecutorService heartbeat;
    private boolean closed;

    ExplainProgress(PrintWriter err, int features, double intervalSeconds) {
        this.err = err;
        this.features = features;
        this.intervalNanos = (long) (intervalSeconds * 1e9);
    }

    /**
     * Counts what a resumed run starts from (the journal's replay), so that its lines give the totals
     * of the explanation, not only what this run settled.
     */
    ExplainProgress restored(org.proofmap.explain.ExplanationSearch.Settled replay) {
        irrelevant.or(replay.free());
        replay.relevant().keySet().forEach(relevant::set);
        replay.unknown().keySet().forEach(unknown::set);
        lastQuery = replay.queries();
        return this;
    }

    /**
     * Also prints the line when none was printed for {@code quietSeconds}: near the boundary one
     * exact query may take minutes (mnist-net_256x2 image 14: ten minutes without a feature
     * settled, at 120 s per query), and a silent run looks hung. Stopped by {@link #close}.
     */
    ExplainProgress heartbeat(double quietSeconds) {
        long quiet = (long) (quietSeconds * 1e9);
        heartbeat = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "proofmap-progress");
            t.setDaemon(true);
            return t;
        });
        long period = Math.max(1, quiet / 4);
        heartbeat.scheduleAtFixedRate(() -> {
            synchronized (this) {
                long now = System.nanoTime();
                if (!closed && now - last >= quiet) {
                    last = now;
                    err.println(line(lastQuery, (now - start) / 1e9) + ", working");
                    err.flush();
                }
            }
        }, period, period, java.util.concurrent.TimeUnit.NANOSECONDS);
        return this;
    }

    @Override
    public synchronized void close() {
        closed = true; // a beat already waiting for the lock prints nothing
        if (heartbeat != null) {
            heartbeat.shutdownNow();
        }
    }

    @Override
    public synchronized void freed(BitSet added, OracleVerdict proof, int query) {
        irrelevant.or(added);
        unknown.andNot(added);
        maybePrint(query);
    }

    @Override
    public synchronized void settled(int feature, OracleVerdict verdict, int query) {
        if (verdict.outcome() == Outcome.RELEVANT) {
            relevant.set(feature);
            unknown.clear(feature);
        } else {
            unknown.set(feature);
        }
        maybePrint(query);
    }

    private void maybePrint(int query) {
        lastQuery = query;
        long now = System.nanoTime();
        if (now - last < intervalNanos) {
            return;
        }
        last = now;
        err.println(line(query, (now - start) / 1e9));
        err.flush();
    }

    /** The progress line after {@code query} queries and {@code seconds}. */
    String line(int query, double seconds) {
        int settled = irrelevant.cardinality() + relevant.cardinality() + unknown.cardinality();
        return String.format(Locale.ROOT, "explain: %d of %d features settled (%d irrelevant, %d relevant, %d unknown),"
                + " %d queries, %.0f s", settled, features, irrelevant.cardinality(), relevant.cardinality(),
                unknown.cardinality(), query, seconds);
    }
}
