#!/usr/bin/env bash
# Certified-radius benchmark for bench/RESULTS.md: for each MNIST test image 0..IMAGES-1 and each of
# mnist-net_256x2/4/6 and cnn_small, 'proofmap certify' finds by bisection the largest L-inf eps (pixels
# in [0,1]) that CROWN, alpha-CROWN and PT-LiRPA certify for the predicted label; prints a markdown
# table of mean certified eps, the ratios to CROWN and PT-LiRPA's sampling share of its time.
#   bench/certify.sh [IMAGES] [OUT_DIR] [extra certify options, e.g. --samples 4000, or --attack]
# With --attack the table also gives the mean radius at which PGD breaks the ball (an upper bound on
# every sound radius) over CROWN's, and on how many images the attack capped the PT-LiRPA radius.
# Results are appended to OUT_DIR/certify-<net>.jsonl; a rerun skips images already there.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
images="${1:-20}"
out="${2:-$root/bench/results}"
shift $(( $# > 2 ? 2 : $# ))
shared="$root/../shared"
mkdir -p "$out"
cd "$root"
mvn -q -DskipTests package -pl explain-cli -am
jar="$out/proofmap-certify.jar"
cp explain-cli/target/proofmap.jar "$jar"   # a private copy: rebuilding must not pull it from under a run
data="$shared/datasets/mnist_test_100.csv"
for net in "$shared/benchmarks/mnist_fc/onnx/mnist-net_256x2.onnx" "$shared/benchmarks/mnist_fc/onnx/mnist-net_256x4.onnx" \
    "$shared/benchmarks/mnist_fc/onnx/mnist-net_256x6.onnx" "$shared/models-ref/cnn_small.onnx"; do
  name="$(basename "$net" .onnx)"
  file="$out/certify-$name.jsonl"
  touch "$file"
  for ((i = 0; i < images; i++)); do
    if grep -q "\"index\":$i," "$file"; then continue; fi
    line="$(java -jar "$jar" certify "$net" --dataset "$data" --index "$i" --range 0,0.3 --tol 1e-4 --json "$@")"
    echo "{\"index\":$i,\"result\":$line}" >> "$file"
  done
done
python3 - "$out" "$images" <<'PY'
import json, sys, glob, os
out, images = sys.argv[1], int(sys.argv[2])
print("| model | images | CROWN | alpha-CROWN | PT-LiRPA | alpha/CROWN | PT/CROWN | PT/CROWN per image (median, max) | PT s/image | sampling share of PT | sampling share of all | attacked/CROWN | PT capped by the attack |")
print("|---|---|---|---|---|---|---|---|---|---|---|---|---|")
for name in ["mnist-net_256x2", "mnist-net_256x4", "mnist-net_256x6", "cnn_small"]:
    f = os.path.join(out, "certify-%s.jsonl" % name)
    if not os.path.exists(f):
        continue
    rs = [json.loads(l) for l in open(f) if l.strip()]
    rs = [r["result"] for r in rs if r["index"] < images]
    if not rs:
        continue
    mean = lambda m: sum(r["certified_eps"][m] for r in rs) / len(rs)
    c, a, p = mean("crown"), mean("alpha-crown"), mean("pt-lirpa")
    ratios = sorted(r["certified_eps"]["pt-lirpa"] / r["certified_eps"]["crown"] for r in rs if r["certified_eps"]["crown"] > 0)
    med = ratios[len(ratios) // 2] if ratios else float("nan")
    pts = sum(r["seconds"]["pt-lirpa"] for r in rs)
    samp = sum(r["pt_lirpa"]["sampling_seconds"] for r in rs)
    allt = sum(sum(r["seconds"].values()) for r in rs)
    att = [r.get("attacked_eps") for r in rs]
    attacked = "%.2f" % (sum(e for e in att) / len(rs) / c) if all(e is not None for e in att) else "-"
    capped = [r["pt_lirpa"].get("capped_by_attack") for r in rs]
    capped = "%d / %d" % (sum(1 for k in capped if k), len(rs)) if all(k is not None for k in capped) else "-"
    print("| %s | %d | %.5f | %.5f | %.5f | %.2f | %.2f | %.2f, %.2f | %.2f | %.0f%% | %.0f%% | %s | %s |" % (
        name, len(rs), c, a, p, a / c, p / c, med, ratios[-1] if ratios else float("nan"), pts / len(rs),
        100 * samp / pts, 100 * samp / allt, attacked, capped))
PY
