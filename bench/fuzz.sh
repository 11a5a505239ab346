#!/usr/bin/env bash
# Fuzzes every parser that reads user input with Jazzer and prints one line of figures per target
# (docs/fuzzing.md). A JVM fuzzes one @FuzzTest at a time, so each target is its own reactor run.
#
#   bench/fuzz.sh [executions per target, default 1000000] [target ...]
#   FUZZ_MAX_DURATION=10m bench/fuzz.sh 1000000     # whichever limit comes first (default 30m)
#
# Targets: module:Class#method, e.g. libs/imageio:NiftiFuzzTest#read. Findings are written by Jazzer next to
# the seeds (src/test/resources/**/<Class>Inputs/<method>/crash-*) and replayed by every later `mvn test`.
# Run from the repository root; never installs anything (reactor build with -am, offline when possible).
set -uo pipefail
cd "$(dirname "$0")/.."
RUNS=${1:-1000000}
shift || true
TARGETS=("$@")
if [ ${#TARGETS[@]} -eq 0 ]; then
  TARGETS=(libs/imageio:NiftiFuzzTest#read libs/imageio:NumpyFuzzTest#readNpy libs/imageio:NumpyFuzzTest#readNpz
    libs/checkpoint:CheckpointFuzzTest#readPth libs/checkpoint:CheckpointFuzzTest#unpickle
    libs/checkpoint:CheckpointFuzzTest#readSafetensors libs/events:EventCodecFuzzTest#decode
    libs/events:EventCodecFuzzTest#decodeRequest services/gateway:ZipUnpackerFuzzTest#unpack)
fi
HEAP=${FUZZ_HEAP:-1g} # small on purpose: an allocation bomb becomes an OutOfMemoryError finding
LOGS=${FUZZ_LOGS:-target/fuzz}
mkdir -p "$LOGS"
printf '%-45s %10s %9s %8s %6s %7s %9s %s\n' target execs execs/s crashes hangs peakMB seconds corpus
for t in "${TARGETS[@]}"; do
  module=${t%%:*}
  test=${t#*:}
  log="$LOGS/${test//#/-}.log"
  start=$(date +%s)
  # -timeout: an input running over 10 s is a hang finding; keep_going: count findings past the first
  JAZZER_FUZZ=1 /usr/bin/time -v -o "$log.time" ./mvnw -B -o test -pl "$module" -am -Dtest="$test" \
    -Dsurefire.failIfNoSpecifiedTests=false -Dsurefire.argLine="-Xmx$HEAP" \
    -Djazzer.max_executions="$RUNS" -Djazzer.max_duration="${FUZZ_MAX_DURATION:-30m}" -Djazzer.keep_going=100 \
    -Djazzer.internal.arg.0=-timeout=10 >"$log" 2>&1
  secs=$(( $(date +%s) - start ))
  # libFuzzer's last status line ("#N DONE ..." or the last "#N ..." before a stop) holds the execution count
  last=$(grep -a -E '^#[0-9]+' "$log" | tail -1)
  execs=$(sed -E 's/^#([0-9]+).*/\1/' <<<"$last")
  rate=$(grep -a -oE 'exec/s: [0-9]+' <<<"$last" | awk '{print $2}')
  crashes=$(grep -a -c '^== Java Exception' "$log")
  hangs=$(grep -a -c 'ERROR: libFuzzer: timeout' "$log")
  oom=$(grep -a -c 'ERROR: libFuzzer: out-of-memory\|java.lang.OutOfMemoryError' "$log")
  rss=$(awk -F': ' '/Maximum resident set size/ {print int($2/1024)}' "$log.time")
  corpus=$(grep -a -oE 'corp: [0-9]+/[0-9]+[a-zA-Z]*' <<<"$last" | awk '{print $2}')
  printf '%-45s %10s %9s %8s %6s %7s %9s %s\n' "$t" "${execs:-?}" "${rate:-?}" "$((crashes + oom))" "$hangs" \
    "${rss:-?}" "$secs" "${corpus:-?}"
done
