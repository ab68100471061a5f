#!/bin/sh
# run-bench.sh: times `fwreview analyze --format json` on generated 1k/10k/100k-rule nftables
# rulesets next to jansson alone loading the same files, and prints a markdown table.
#
# Usage: tests/bench/run-bench.sh [--zones] [BUILD_DIR]
#   BUILD_DIR  meson build directory (default: _build in the source tree); set up and built if needed
#   --zones    also pass the generator's zones file to fwreview (--zones FILE)
# Environment: FWR_BENCH_SIZES (default "1000 10000 100000"), FWR_BENCH_REPEAT (default 3: each
# timing is the best of that many runs, peak memory the largest), FWREVIEW (the fwreview binary to
# time, default the one in BUILD_DIR, e.g. to compare with another branch's build).
set -eu

srcdir=$(cd "$(dirname "$0")/../.." && pwd)
use_zones=0
if [ "${1:-}" = "--zones" ]; then
  use_zones=1
  shift
fi
build=${1:-$srcdir/_build}
sizes=${FWR_BENCH_SIZES:-1000 10000 100000}
repeat=${FWR_BENCH_REPEAT:-3}

if [ ! -x /usr/bin/time ]; then
  echo "run-bench.sh: /usr/bin/time is missing; install it with: apt-get install -y time" >&2
  exit 2
fi
if [ ! -f "$build/build.ninja" ]; then
  meson setup "$build" "$srcdir" >/dev/null
fi
ninja -C "$build" -j2 cli/fwreview tests/bench/gen-ruleset tests/bench/jansson-load >/dev/null

fwreview=${FWREVIEW:-$build/cli/fwreview}
gen=$build/tests/bench/gen-ruleset
jload=$build/tests/bench/jansson-load
tmp=$(mktemp -d "${TMPDIR:-/tmp}/fwr-bench.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM

now () { date +%s.%N; }

# Best wall time and largest peak RSS (KiB) of $repeat runs of fwreview on $1; "fail STATUS" when a
# run fails.
time_analyze () {
  input=$1 best="" peak=0
  i=0
  while [ "$i" -lt "$repeat" ]; do
    if [ "$use_zones" = 1 ]; then
      set -- --zones "$tmp/zones.json" "$input"
    else
      set -- "$input"
    fi
    t0=$(now)
    status=0
    /usr/bin/time -f "%e %M" -o "$tmp/time.out" "$fwreview" analyze --format json "$@" >/dev/null 2>"$tmp/analyze.err" || status=$?
    if [ "$status" != 0 ]; then
      echo "fail $status"
      return
    fi
    t1=$(now)
    best=$(awk -v a="$t0" -v b="$t1" -v best="$best" 'BEGIN { t = b - a; print (best == "" || t < best) ? t : best }')
    peak=$(awk -v p="$peak" 'END { print ($2 > p) ? $2 : p }' "$tmp/time.out")
    i=$((i + 1))
  done
  echo "$best $peak"
}

# Best seconds of $repeat runs of jansson-load on $1, for its dom and stream modes.
time_jansson () {
  i=0
  : >"$tmp/jansson.out"
  while [ "$i" -lt "$repeat" ]; do
    "$jload" "$1" >>"$tmp/jansson.out"
    i=$((i + 1))
  done
  awk '$1 == "dom" && (d == "" || $2 < d) { d = $2; dm = $3 }
       $1 == "stream" && (s == "" || $2 < s) { s = $2; sm = $3 }
       END { print d, s, dm, sm }' "$tmp/jansson.out"
}

failed=0
: >"$tmp/rows"
for n in $sizes; do
  file=$tmp/ruleset-$n.json
  "$gen" --zones "$tmp/zones.json" -o "$file" "$n"
  bytes=$(wc -c <"$file")
  analyze=$(time_analyze "$file")
  if [ "${analyze%% *}" = fail ]; then
    failed=1
    echo "run-bench.sh: fwreview analyze failed on $n rules (exit status ${analyze#fail }):" >&2
    sed 's/^/  /' "$tmp/analyze.err" >&2
  fi
  jansson=$(time_jansson "$file")
  echo "$n $bytes $analyze $jansson" >>"$tmp/rows"
done

echo "| rules | file MB | analyze s | analyze peak MB | bytes/rule peak | jansson DOM load s | jansson streaming s | ratio analyze/jansson DOM | growth 10k->100k |"
echo "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
awk '
  function fmt(x, d) { return sprintf("%." d "f", x) }
  {
    n = $1; mb = $2 / 1e6
    if ($3 == "fail") { as = "failed"; am = "failed"; bpr = "-"; ratio = "-"; dom = $5; str = $6 }
    else { t[n] = $3; as = fmt($3, 3); am = fmt($4 / 1024, 1); bpr = fmt($4 * 1024 / n, 0); dom = $5; str = $6
           ratio = (dom > 0) ? fmt($3 / dom, 2) "x" : "-" }
    growth = (n == 100000 && (10000 in t) && (100000 in t) && t[10000] > 0) ? fmt(t[100000] / t[10000], 1) "x" : ""
    printf "| %d | %s | %s | %s | %s | %s | %s | %s | %s |\n", n, fmt(mb, 1), as, am, bpr, fmt(dom, 3), fmt(str, 3), ratio, growth
  }' "$tmp/rows"
echo
awk '{ printf "jansson peak memory at %d rules: DOM %s MB, streaming %s MB\n", $1, $(NF - 1), $NF }' "$tmp/rows"
echo "(best of $repeat runs; load average at the end: $(cut -d' ' -f1-3 /proc/loadavg))"

if [ "$failed" = 1 ]; then
  echo "run-bench.sh: fwreview analyze failed; the table has no fwreview figures" >&2
  exit 1
fi
