package org.proofmap.verify;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.PriorityBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;
import org.proofmap.model.Graph;
import org.proofmap.vnnlib.PropertyCase;

/**
 * The machinery shared by the branch-and-bound verifiers: a priority queue of open subproblems,
 * worker threads on every core, a deadline, and the record of a counterexample. A subproblem is
 * processed by a caller-supplied step that either proves it, offers counterexample candidates, or
 * adds children. The search ends when a counterexample is confirmed, when the queue is empty and no
 * worker is busy (everything proved), at the deadline, or when a step leaves a subproblem
 * undecided.
 *
 * @param <T> a subproblem
 */
final class SearchPool<T> {
    private final Graph graph;
    private final PropertyCase pc;
    private final long deadline;
    private final PriorityBlockingQueue<T> queue;
    /** Subproblems queued or being processed: the search is over when it reaches zero. */
    private final AtomicInteger pending = new AtomicInteger();
    final AtomicLong processed = new AtomicLong();
    private final AtomicReference<double[]> witness = new AtomicReference<>();
    private final AtomicReference<String> foundBy = new AtomicReference<>();
    private final AtomicReference<RuntimeException> failure = new AtomicReference<>();
    private volatile boolean stop;
    private volatile boolean undecided;

    SearchPool(Graph graph, PropertyCase pc, long deadline, Comparator<T> order) {
        this.graph = graph;
        this.pc = pc;
        this.deadline = deadline;
        this.queue = new PriorityBlockingQueue<>(64, order);
    }

    void add(T task) {
        pending.incrementAndGet();
        queue.add(task);
    }

    /** Marks the search as unable to prove: a subproblem was dropped without a decision. */
    void giveUp() {
        undecided = true;
        stop = true;
    }

    /** Stops the search without a verdict of its own (another procedure decided). */
    void halt() {
        stop = true;
    }

    boolean stopped() {
        return stop;
    }

    /** Whether the search has stopped or its deadline has passed (for long steps to check). */
    boolean over() {
        return stop || System.nanoTime() > deadline;
    }

    /**
     * Re-checks a candidate with a double-precision forward pass and records it when it lies in the
     * case's box and violates the property; true when it does (the search then stops).
     */
    boolean offer(double[] x, String source) {
        if (!pc.contains(x, 0.0)) {
            return false;
        }
        double[] y = graph.forward(x);
        if (!pc.isViolatedBy(y, 0.0)) {
            return false;
        }
        if (witness.compareAndSet(null, x.clone())) {
            foundBy.set(source);
        }
        stop = true;
        return true;
    }

    /**
     * Runs {@code step} on subproblems with {@code threads} workers until the search ends. Each
     * worker gets its own state from {@code workerState} (e.g. scratch buffers).
     */
    <S> Verdict run(int threads, java.util.function.Supplier<S> workerState, BiConsumer<T, S> step) {
        if (witness.get() != null) {
            return Verdict.SAT;
        }
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread th = new Thread(() -> work(workerState.get(), step), "proofmap-bab-" + t);
            th.setDaemon(true);
            workers.add(th);
            th.start();
        }
        for (Thread th : workers) {
            try {
                th.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                stop = true;
            }
        }
        if (failure.get() != null) {
            throw failure.get();
        }
        if (witness.get() != null) {
            return Verdict.SAT;
        }
        if (undecided) {
            return Verdict.UNKNOWN;
        }
        if (!queue.isEmpty() || stop) {
            return Verdict.TIMEOUT;
        }
        return Verdict.UNSAT;
    }

    private <S> void work(S state, BiConsumer<T, S> step) {
        while (!stop) {
            if (System.nanoTime() > deadline) {
                stop = true;
                break;
            }
            T task;
            try {
                task = queue.poll(5, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                return;
            }
            if (task == null) {
                if (pending.get() == 0) {
                    return; // nothing queued and nothing being processed: every subproblem is proved
                }
                continue;
            }
            try {
                processed.incrementAndGet();
                step.accept(task, state);
            } catch (RuntimeException e) {
                // Never lose a subproblem silently: a failure ends the search and reaches the caller.
                failure.compareAndSet(null, e);
                stop = true;
            } finally {
                pending.decrementAndGet(); // after the step has queued the task's children
            }
        }
    }

    double[] witness() {
        return witness.get();
    }

    String foundBy() {
        return foundBy.get();
    }
}
