#!/usr/bin/env bash
# Runs PhysioNet's gqrs (WFDB software package, C) and CardioGate's detector side by side on the same machine over
# every record of the MIT-BIH Arrhythmia Database, then prints the times of both and the EC57 scores of both, gqrs's
# annotations scored by CardioGate's matcher (150 ms window, ventricular flutter of record 207 excluded, scored from
# the first sample, as `bin/gateway evaluate`).
#
# Usage: realtime-dsp/bench/compare-gqrs.sh [GQRS_BINARY] [MITDB_DIR] [REPETITIONS]
#   GQRS_BINARY  path of gqrs (default: gqrs on PATH)
#   MITDB_DIR    folder with the 48 records' .hea, .dat and .atr files (default: ../shared/data/mitdb next to the
#                repository)
#   REPETITIONS  timed runs of each, alternating gqrs and ours after one untimed warm-up of each (default 3); the
#                medians are reported
# Environment:
#   OURS         command that runs our side (default: "bin/gateway evaluate MITDB_DIR --no-classifier", which builds
#                the gateway on first use); it must print the gross line of `gateway evaluate`
#   CG_TARGET    Maven build directory name for the realtime-dsp test classes (default target)
#   MVN_OFFLINE  set to 1 to build the scorer with `mvnw -o`
#
# Nothing is written next to the records: gqrs runs in a scratch folder of symbolic links, removed at the end.
# Times are wall-clock and CPU (user + system) of the whole processes, start-up included: gqrs is started once per
# record, our side once for all records. On a shared machine the wall times depend on the load (printed); the CPU
# times much less so.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
GQRS="${1:-$(command -v gqrs || true)}"
MITDB="${2:-$ROOT/../shared/data/mitdb}"
REPS="${3:-3}"

die() { echo "compare-gqrs: $*" >&2; exit 2; }
[ -n "$GQRS" ] || die "no gqrs binary: pass its path as the first argument or put gqrs on PATH (WFDB software package)"
[ -x "$GQRS" ] || die "gqrs binary '$GQRS' is not executable"
[ -d "$MITDB" ] || die "no MIT-BIH folder at '$MITDB' (second argument)"
MITDB="$(cd "$MITDB" && pwd)"
[[ "$REPS" =~ ^[1-9][0-9]*$ ]] || die "repetitions must be a positive integer, got '$REPS'"

mapfile -t RECORDS < <(cd "$MITDB" && ls -- *.hea 2>/dev/null | sed 's/\.hea$//' | sort)
[ "${#RECORDS[@]}" -gt 0 ] || die "no WFDB headers (*.hea) in $MITDB"
SAMPLES=0
for r in "${RECORDS[@]}"; do
  [ -f "$MITDB/$r.atr" ] || die "record $r has no reference annotations ($MITDB/$r.atr)"
  n="$(awk 'NF && $1 !~ /^#/ {print $4; exit}' "$MITDB/$r.hea")"
  [[ "$n" =~ ^[0-9]+$ ]] || die "cannot read the number of samples from $MITDB/$r.hea"
  SAMPLES=$((SAMPLES + n))
done

SCRATCH="$(mktemp -d "${TMPDIR:-/tmp}/compare-gqrs.XXXXXX")"
trap 'rm -rf "$SCRATCH"' EXIT
for r in "${RECORDS[@]}"; do
  ln -s "$MITDB/$r.hea" "$MITDB/$r.dat" "$MITDB/$r.atr" "$SCRATCH/"
done

OURS="${OURS:-$ROOT/bin/gateway evaluate $MITDB --no-classifier}"

echo "compare-gqrs: building the scorer (realtime-dsp test classes) ..." >&2
MVN_ARGS=(-q -pl realtime-dsp "-Dcg.target=${CG_TARGET:-target}")
[ "${MVN_OFFLINE:-0}" = 1 ] && MVN_ARGS=(-o "${MVN_ARGS[@]}")
(cd "$ROOT" && ./mvnw "${MVN_ARGS[@]}" test-compile dependency:build-classpath \
    "-Dmdep.outputFile=$SCRATCH/cp.txt" -Dmdep.includeScope=test) >&2 \
  || die "building the realtime-dsp test classes failed; run (cd $ROOT && ./mvnw -pl realtime-dsp test-compile)"
M="$ROOT/realtime-dsp/${CG_TARGET:-target}"
CP="$M/test-classes:$M/classes:$(cat "$SCRATCH/cp.txt")"
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"

run_gqrs() { # all records, one gqrs process each, annotations as annotator "gqrs" in the scratch folder
  (cd "$SCRATCH" && for r in "${RECORDS[@]}"; do
     WFDB=. WFDBANNSORT=0 "$GQRS" -r "$r" -o gqrs >/dev/null 2>&1 || { echo "gqrs failed on record $r" >&2; exit 1; }
   done)
}
run_ours() { # shellcheck disable=SC2086 # OURS is a command line
  $OURS >"$SCRATCH/ours.txt" 2>&1 || { cat "$SCRATCH/ours.txt" >&2; echo "our side failed: $OURS" >&2; return 1; }
}
timed() { # timed NAME FUNCTION: appends "wall cpu" (seconds, CPU = user + system) to $SCRATCH/NAME.times
  local TIMEFORMAT='%R %U %S'
  { time "$2" >/dev/null 2>"$SCRATCH/$1.err"; } 2>"$SCRATCH/$1.time" \
    || { cat "$SCRATCH/$1.err" >&2; die "the timed run of $1 failed"; }
  awk '{printf "%.3f %.3f\n", $1, $2 + $3}' "$SCRATCH/$1.time" >>"$SCRATCH/$1.times"
}
median() { sort -n | awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }
load() { cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || uptime | sed 's/.*load average: //'; }

echo "machine: $(nproc 2>/dev/null || echo '?') cores, $(grep -m1 'model name' /proc/cpuinfo 2>/dev/null | cut -d: -f2- | sed 's/^ //')"
echo "gqrs: $GQRS; ours: $OURS"
echo "records: ${#RECORDS[@]}, $SAMPLES samples per signal"
echo "load average before: $(load)"
run_gqrs
run_ours
for ((i = 1; i <= REPS; i++)); do
  timed gqrs run_gqrs
  timed ours run_ours
  echo "run $i: gqrs $(tail -n 1 "$SCRATCH/gqrs.times" | awk '{print $1 " s wall, " $2 " s CPU"}');" \
       "ours $(tail -n 1 "$SCRATCH/ours.times" | awk '{print $1 " s wall, " $2 " s CPU"}'); load $(load)"
done
for side in gqrs ours; do
  wall="$(cut -d' ' -f1 "$SCRATCH/$side.times" | median)"
  cpu="$(cut -d' ' -f2 "$SCRATCH/$side.times" | median)"
  awk -v s="$side" -v w="$wall" -v c="$cpu" -v n="$SAMPLES" -v k="$REPS" 'BEGIN {
    printf "%-4s median of %d: %.2f s wall, %.2f s CPU, %.1f ns CPU per sample (whole process)\n", s, k, w, c,
      c * 1e9 / n }'
done
echo "load average after: $(load)"
echo
echo "gqrs scored by CardioGate's EC57 matcher:"
"$JAVA" -cp "$CP" org.cardiogate.dsp.eval.AnnotationScoreReport "$MITDB" gqrs --test-dir "$SCRATCH" | tail -n 1 \
  | awk '{printf "  gqrs  TP %s FN %s FP %s  Se %s %%  +P %s %%  median offset %s ms\n", $2, $3, $4, $5, $6, $7}'
echo "ours (gross line of gateway evaluate):"
grep -m1 -e '^record' "$SCRATCH/ours.txt" | sed 's/^/  /' || true
grep -m1 -e '^gross' "$SCRATCH/ours.txt" | sed 's/^/  /' || echo "  (no gross line in the output of: $OURS)"
