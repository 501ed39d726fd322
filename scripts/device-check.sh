#!/usr/bin/env bash
# CPU/CUDA parity and throughput on a machine with an NVIDIA GPU, in one short run (a few minutes):
#   1. builds zoo with the CUDA build of ONNX Runtime (-p:ZooCuda=true) into a scratch folder;
#   2. `zoo embed imagenet/resnet18/feature_vector` on the test photos with --device cpu and --device cuda:
#      cosine of each image's feature vectors (pass: every cosine >= 0.999);
#   3. `zoo detect coco/nanodet/detection` on the same photos with both devices: detections matched greedily by
#      IoU >= 0.5 and the same label (pass: >= 95 % of the CPU's detections found on CUDA, and no more than 5 %
#      extra);
#   4. throughput: images/s of `zoo embed` on N photos (repeated) per device, model load included, warm second run;
#   5. prints a summary (and writes it to $OUT/device-check.txt when OUT is set).
# Needs: the models in the store (ZOO_HOME, default .cache/zoo-home; nothing is downloaded: ZOO_OFFLINE=1), the test
# photos (ZOO_TESTDATA, default .cache/testdata; scripts/fetch-test-assets.sh), the NuGet package
# Microsoft.ML.OnnxRuntime.Gpu.Linux in a reachable source or the local NuGet cache, python3 (comparisons only),
# and the NVIDIA driver with the CUDA 13 libraries (ONNX Runtime 1.31's CUDA provider links against libcudart.so.13, libcublas.so.13) and cuDNN 9. Usage: scripts/device-check.sh [N_THROUGHPUT_IMAGES, default 64]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
images="${1:-64}"
export ZOO_HOME="${ZOO_HOME:-$root/.cache/zoo-home}"
export ZOO_OFFLINE=1
testdata="${ZOO_TESTDATA:-$root/.cache/testdata}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
summary="$work/summary.txt"
say() { echo "$*" | tee -a "$summary"; }

say "device-check $(date -u +%Y-%m-%dT%H:%M:%SZ) on $(hostname)"
if command -v nvidia-smi > /dev/null; then
    say "gpu: $(nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader | head -1)"
else
    say "gpu: nvidia-smi not found (the cuda runs below are expected to fail with the execution-provider error)"
fi
say "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"

photos=()
for f in "$testdata"/darknet/*.jpg "$testdata"/skimage/*.png "$testdata"/skimage/*.jpg; do
    [[ -f "$f" ]] && photos+=("$f")
done
if (( ${#photos[@]} == 0 )); then
    echo "no test photos under $testdata; run scripts/fetch-test-assets.sh first" >&2
    exit 1
fi

echo "building zoo with the CUDA build of ONNX Runtime..."
dotnet build src/ModelZoo.Cli -c Release -p:ZooCuda=true -o "$work/zoo" > "$work/build.log" 2>&1 || {
    tail -20 "$work/build.log" >&2
    echo "the CUDA build failed; is Microsoft.ML.OnnxRuntime.Gpu.Linux in a NuGet source or the local cache?" >&2
    exit 1
}
zoo() { dotnet "$work/zoo/zoo.dll" "$@"; }

status=0
run_both() { # name, then the zoo arguments; writes $work/<name>.cpu.json and .cuda.json
    local name="$1"
    shift
    zoo "$@" --device cpu > "$work/$name.cpu.json"
    if ! zoo "$@" --device cuda > "$work/$name.cuda.json" 2> "$work/$name.cuda.err"; then
        say "$name: cuda FAILED: $(tr '\n' ' ' < "$work/$name.cuda.err")"
        status=1
        return 1
    fi
}

if run_both embed embed imagenet/resnet18/feature_vector "${photos[@]}"; then
    python3 - "$work/embed.cpu.json" "$work/embed.cuda.json" << 'EOF' | tee -a "$summary" || status=1
import json, math, sys
a, b = (json.load(open(p)) for p in sys.argv[1:3])
cos = []
for x, y in zip(a, b):
    u, v = x["vector"], y["vector"]
    dot = sum(p * q for p, q in zip(u, v))
    cos.append(dot / math.sqrt(sum(p * p for p in u) * sum(q * q for q in v)))
ok = len(a) == len(b) and min(cos) >= 0.999
print(f"embed parity (resnet18, {len(cos)} photos): min cosine {min(cos):.6f}, mean {sum(cos) / len(cos):.6f}: {'PASS' if ok else 'FAIL'}")
sys.exit(0 if ok else 1)
EOF
fi

if run_both detect detect coco/nanodet/detection "${photos[@]}" --json; then
    python3 - "$work/detect.cpu.json" "$work/detect.cuda.json" << 'EOF' | tee -a "$summary" || status=1
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:3])
def iou(p, q):
    x1, y1 = max(p["x"], q["x"]), max(p["y"], q["y"])
    x2 = min(p["x"] + p["width"], q["x"] + q["width"])
    y2 = min(p["y"] + p["height"], q["y"] + q["height"])
    inter = max(0.0, x2 - x1) * max(0.0, y2 - y1)
    union = p["width"] * p["height"] + q["width"] * q["height"] - inter
    return inter / union if union > 0 else 0.0
total = matched = extra = 0
for x, y in zip(a, b):
    cpu, gpu = x["detections"], list(y["detections"])
    total += len(cpu)
    for d in cpu:
        best = max(((iou(d["box"], g["box"]), i) for i, g in enumerate(gpu) if g["label"] == d["label"]), default=(0, -1))
        if best[0] >= 0.5:
            matched += 1
            gpu.pop(best[1])
    extra += len(gpu)
recall = matched / total if total else 1.0
ok = recall >= 0.95 and extra <= 0.05 * max(total, 1)
print(f"detect parity (nanodet, {len(a)} photos): {matched}/{total} cpu detections matched on cuda (IoU>=0.5, same label), {extra} extra: {'PASS' if ok else 'FAIL'}")
sys.exit(0 if ok else 1)
EOF
fi

# Throughput: the photos repeated to N files, embedded twice per device (the second run is reported).
mkdir -p "$work/many"
for ((i = 0; i < images; i++)); do
    f="${photos[$((i % ${#photos[@]}))]}"
    ln -s "$f" "$work/many/$i.${f##*.}"
done
for device in cpu cuda; do
    for batch in 1 16; do
        zoo embed imagenet/resnet18/feature_vector "$work/many" --device "$device" --batch "$batch" > /dev/null 2>&1 || { say "throughput $device batch $batch: FAILED"; status=1; continue; }
        start=$(date +%s.%N)
        zoo embed imagenet/resnet18/feature_vector "$work/many" --device "$device" --batch "$batch" > /dev/null 2>&1
        end=$(date +%s.%N)
        say "$(python3 -c "print(f'throughput $device batch $batch: {$images / ($end - $start):.1f} images/s ($images photos, zoo embed end to end incl. start-up and model load)')")"
    done
done

say "result: $([[ $status == 0 ]] && echo PASS || echo FAIL)"
[[ -n "${OUT:-}" ]] && cp "$summary" "$OUT/device-check.txt"
exit "$status"
