#!/usr/bin/env bash
# End-to-end explanation benchmarks for bench/RESULTS.md: explains MNIST test images with every
# order x algorithm on mnist-net_256x2, mnist-net_256x4 and cnn_small at eps 0.05, checks every
# certificate, and prints one markdown table over all results.
#   bench/explain.sh [IMAGES] [ORACLE] [QUERY_TIMEOUT] [OUT_DIR] [BUDGET] [ORDERS] [ALGORITHMS]
# Defaults: 20 images, the 'auto' oracle chain, 20 s per query, no time budget per explanation
# (BUDGET seconds: what an explanation does not reach in time counts as unknown), every order and
# algorithm. Results are appended to
# OUT_DIR/*.jsonl as they come; a rerun skips what is there, so a crash loses nothing.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
images="${1:-20}"
oracle="${2:-auto}"
timeout="${3:-20}"
out="${4:-$root/bench/results}"
budget="${5:-0}"
shared="$root/../shared"
mkdir -p "$out"
cd "$root"
mvn -q -DskipTests package -pl bench -am
jar="$out/benchmarks.jar"
cp bench/target/benchmarks.jar "$jar"   # a private copy: rebuilding must not pull it from under a run
data="$shared/datasets/mnist_test_100.csv"
orders="${6:-sensitivity,saliency,reciph,bounds,index}"
algorithms="${7:-binary,deletion,quickxplain}"
for net in "$shared/benchmarks/mnist_fc/onnx/mnist-net_256x2.onnx" "$shared/benchmarks/mnist_fc/onnx/mnist-net_256x4.onnx" \
    "$shared/models-ref/cnn_small.onnx"; do
  name="$(basename "$net" .onnx)"
  java -cp "$jar" org.proofmap.bench.ExplainBench "$net" "$data" 0 "$images" 0.05 "$orders" "$algorithms" \
      "$oracle" "$timeout" "$out/explain-$name-$oracle.jsonl" "$budget" > /dev/null
done
java -cp "$jar" org.proofmap.bench.ExplainBench --table "$out"/explain-*-"$oracle".jsonl
