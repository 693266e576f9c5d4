/**
 * Benchmarks: JMH micro-benchmarks of the hot paths (run {@code java -jar bench/target/benchmarks.jar})
 * and end-to-end benchmark commands whose tables go to {@code bench/RESULTS.md}.
 */
package org.proofmap.bench;
