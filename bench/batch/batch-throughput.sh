#!/usr/bin/env bash
# Batch throughput of `zoo batch` on this machine: N images embedded by 1, 2 and 3 workers through a RabbitMQ broker
# on loopback, against the same images run without a broker (`zoo batch run --shard 0/1`), which gives the broker's
# overhead per image. Prints a Markdown table for BENCHMARKS.md. Needs Debian's rabbitmq-server
# (scripts/install-test-deps.sh), the Tux Paint stamps (scripts/fetch-test-assets.sh) and the model in ZOO_HOME
# (default: the checkout's .cache/zoo-home; `zoo pull imagenet/resnet18/feature_vector` fills it).
#
#   bench/batch/batch-throughput.sh [IMAGES (default 300)] [THREADS PER WORKER (default 1)]
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
images="${1:-300}"
threads="${2:-1}"
model="imagenet/resnet18/feature_vector"
export ZOO_HOME="${ZOO_HOME:-$root/.cache/zoo-home}" ZOO_OFFLINE=1 NO_COLOR=1
dotnet build "$root/src/ModelZoo.Cli" -c Release -v quiet -nologo >/dev/null
zoo=(dotnet "$root/src/ModelZoo.Cli/bin/Release/net10.0/zoo.dll")
work="$(mktemp -d)"
port=$((20000 + RANDOM % 20000)); epmd_port=$((port + 1)); dist_port=$((port + 2))
mkdir -p "$work"/{mnesia,log,in}
echo "[]." > "$work/enabled_plugins"
cleanup() {
  [ -n "${broker_pid:-}" ] && kill "$broker_pid" 2>/dev/null || true
  [ -n "${broker_pid:-}" ] && wait "$broker_pid" 2>/dev/null || true
  epmd -port "$epmd_port" -kill >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

# Inputs: the first IMAGES stamps (cycled if there are fewer), under unique names.
mapfile -t stamps < <(find "$root/.cache/testdata/tuxpaint" -name '*.png' | sort)
[ ${#stamps[@]} -gt 0 ] || { echo "no Tux Paint stamps; run scripts/fetch-test-assets.sh" >&2; exit 1; }
for ((i = 0; i < images; i++)); do cp "${stamps[i % ${#stamps[@]}]}" "$work/in/$(printf %05d "$i").png"; done

RABBITMQ_MNESIA_BASE="$work/mnesia" RABBITMQ_LOG_BASE="$work/log" RABBITMQ_ENABLED_PLUGINS_FILE="$work/enabled_plugins" \
RABBITMQ_NODE_IP_ADDRESS=127.0.0.1 RABBITMQ_NODE_PORT="$port" RABBITMQ_DIST_PORT="$dist_port" ERL_EPMD_ADDRESS=127.0.0.1 \
ERL_EPMD_PORT="$epmd_port" RABBITMQ_NODENAME="zoobench$port@localhost" \
  /usr/lib/rabbitmq/bin/rabbitmq-server >"$work/log/stdout" 2>&1 &
broker_pid=$!
broker="amqp://guest:guest@127.0.0.1:$port/"
for _ in $(seq 1 120); do (echo >"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break; sleep 1; done
sleep 2

now() { date +%s.%N; }
load() { cut -d' ' -f1 /proc/loadavg; }

echo "batch-throughput: $images images, $model, $threads ONNX Runtime thread(s) per worker, $(nproc) cores, load $(load)"
echo
echo "| run | workers | images | wall s | images/s | submit ms/image |"
echo "|---|---:|---:|---:|---:|---:|"
start=$(now)
"${zoo[@]}" batch run "$model" "$work/in" --task embed --shard 0/1 --threads "$threads" --out "$work/shard" >/dev/null 2>&1
end=$(now)
base=$(echo "$end - $start" | bc -l)
printf '| no broker (batch run --shard 0/1) | 1 | %d | %.1f | %.1f | – |\n' "$images" "$base" "$(echo "$images / $base" | bc -l)"
for workers in 1 2 3; do
  job="bench$workers"
  start=$(now)
  "${zoo[@]}" batch submit --broker "$broker" --job "$job" --model "$model" --task embed "$work/in" >/dev/null
  submitted=$(now)
  pids=()
  for ((w = 0; w < workers; w++)); do
    "${zoo[@]}" batch work --broker "$broker" --job "$job" --out "$work/out$workers" --until-empty --threads "$threads" \
      --worker-id "w$w" >/dev/null 2>&1 &
    pids+=($!)
  done
  for pid in "${pids[@]}"; do wait "$pid"; done
  end=$(now)
  # The --until-empty idle wait (2 s) is not work; it is taken off the wall time.
  wall=$(echo "$end - $submitted - 2" | bc -l)
  submit_ms=$(echo "($submitted - $start) * 1000 / $images" | bc -l)
  printf '| broker | %d | %d | %.1f | %.1f | %.2f |\n' "$workers" "$images" "$wall" "$(echo "$images / $wall" | bc -l)" "$submit_ms"
  [ "$workers" = 1 ] && one=$wall
done
echo
printf 'broker overhead per image (1 worker vs no broker): %.1f ms; load at the end %s\n' "$(echo "($one - $base) * 1000 / $images" | bc -l)" "$(load)"
