#!/usr/bin/env bash
# End-to-end VNN-COMP benchmarks: runs every instance of ACAS Xu with each split heuristic and the
# mnist_fc instances, then prints the summary tables for bench/RESULTS.md.
#   bench/vnncomp.sh [TIMEOUT_SCALE] [OUT_DIR]
# TIMEOUT_SCALE multiplies the instance timeouts (116 s for ACAS Xu, 120 s for mnist_fc); the
# default 1 is the VNN-COMP setting. Result CSVs resume where a crashed run stopped.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
scale="${1:-1}"
out="${2:-$root/bench/results}"
shared="$root/../shared/benchmarks"
mkdir -p "$out"
cd "$root"
mvn -q -DskipTests package -pl explain-cli,bench -am
jar="$out/proofmap.jar"
cp explain-cli/target/proofmap.jar "$jar"   # a private copy: rebuilding must not pull it from under a run
for h in width smear reciph; do
  java -jar "$jar" verify --instances "$shared/acasxu/instances.csv" --timeout-scale "$scale" --split "$h" \
      --out "$out/acasxu-$h.csv"
done
java -jar "$jar" verify --instances "$shared/mnist_fc/instances.csv" --timeout-scale "$scale" --out "$out/mnist_fc.csv"
java -cp bench/target/benchmarks.jar org.proofmap.bench.VnnCompTable "$shared/acasxu/expected.csv" \
    "$out/acasxu-width.csv" "$out/acasxu-smear.csv" "$out/acasxu-reciph.csv"
java -cp bench/target/benchmarks.jar org.proofmap.bench.VnnCompTable "$shared/mnist_fc/expected.csv" "$out/mnist_fc.csv"
