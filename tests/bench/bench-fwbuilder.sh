#!/bin/bash
# bench-fwbuilder.sh: fwreview against Firewall Builder (Debian's fwbuilder 5.3) on generated
# iptables-save rulesets: the time each takes, and whether every rule fwbuilder calls shadowed is
# among fwreview's shadowed or redundant rules. See docs/performance.md.
#
# usage: tests/bench/bench-fwbuilder.sh [--fwreview PATH] [--out DIR] [--runs N] [SIZE...]
#   SIZE    rules per generated ruleset (default: 2000 5000)
#   --runs  fwreview runs per size, the median is kept (default 3; fwbuilder runs once)
#   ratios: fwbuilder's import + compile time over fwreview analyze --format json, by CPU time
#   (user + system) and by wall-clock time
# Needs: bash, fwbedit and fwb_ipt (apt-get install fwbuilder), awk. Exit 1 when fwbuilder reports a
# shadowed rule fwreview does not, 2 on a usage or tool error.
set -eu

fwreview=""
out=""
runs=3
sizes=""
while [ $# -gt 0 ]; do
  case "$1" in
    --fwreview) fwreview="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    --runs) runs="$2"; shift 2 ;;
    -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
    -*) echo "bench-fwbuilder: unknown option $1" >&2; exit 2 ;;
    *) sizes="$sizes $1"; shift ;;
  esac
done
[ -n "$sizes" ] || sizes="2000 5000"
here=$(cd "$(dirname "$0")" && pwd)
[ -n "$fwreview" ] || fwreview="$here/../../_build/cli/fwreview"
[ -n "$out" ] || out=$(mktemp -d /tmp/bench-fwbuilder.XXXXXX)
mkdir -p "$out"

for tool in fwbedit fwb_ipt awk; do
  command -v "$tool" >/dev/null || { echo "bench-fwbuilder: $tool not found (apt-get install fwbuilder)" >&2; exit 2; }
done
[ -x "$fwreview" ] || { echo "bench-fwbuilder: $fwreview is not built" >&2; exit 2; }

# Runs a command, its output to $1, and prints "WALL CPU" seconds (CPU = user + system, which a
# busy machine disturbs less than the wall clock).
timed() {
  local output="$1"; shift
  local TIMEFORMAT='%R %U %S'
  { time "$@" > "$output" 2>&1; } 2>&1 | awk '{ printf "%.3f %.3f\n", $1, $2 + $3 }'
}

# A deterministic iptables-save ruleset of $1 FORWARD rules: mostly distinct (source /24, host
# destination, one service), with a broad /16 rule every 100 rules and, every 25 rules, a
# narrower copy of an earlier rule: same verdict (redundant) or the other one (shadowed).
generate() {
  awk -v n="$1" 'BEGIN {
    seed = 20240601
    split("22 25 53 80 110 143 443 993 3306 5432 8080 8443", ports, " ")
    print "# fwreview benchmark ruleset: " n " rules (tests/bench/bench-fwbuilder.sh)"
    print "*filter"
    print ":INPUT DROP [0:0]"
    print ":FORWARD DROP [0:0]"
    print ":OUTPUT ACCEPT [0:0]"
    nb = 0
    for (i = 0; i < n; i++) {
      seed = (seed * 1103515245 + 12345) % 2147483648
      r = int(seed / 65536)
      if (i % 25 == 24 && nb > 0) {
        j = 1 + r % nb
        verdict = (i % 50 == 24) ? bverdict[j] : (bverdict[j] == "ACCEPT" ? "DROP" : "ACCEPT")
        printf "-A FORWARD -s %s.%d/26 -d %s -p %s -m %s --dport %d -j %s\n", bnet[j], 64 * (r % 4), bdst[j], bproto[j], bproto[j], bport[j], verdict
        continue
      }
      proto = (r % 5 == 0) ? "udp" : "tcp"
      port = (r % 7 == 0) ? 1024 + r % 2000 : ports[1 + r % 12]
      verdict = (r % 9 == 0) ? "DROP" : "ACCEPT"
      if (i % 100 == 50) {
        printf "-A FORWARD -s 10.%d.0.0/16 -p %s -m %s --dport %d -j %s\n", r % 40, proto, proto, port, verdict
        continue
      }
      net = sprintf("10.%d.%d", r % 40, int(r / 40) % 256)
      dst = sprintf("172.16.%d.%d", r % 64, 1 + int(r / 64) % 250)
      printf "-A FORWARD -s %s.0/24 -d %s -p %s -m %s --dport %d -j %s\n", net, dst, proto, proto, port, verdict
      nb++
      bnet[nb] = net; bdst[nb] = dst; bproto[nb] = proto; bport[nb] = port; bverdict[nb] = verdict
    }
    print "COMMIT"
  }'
}

# An empty fwbuilder data file: the packaged object library plus the "User" library with the
# Firewalls folder fwbedit import puts the new firewall in.
empty_fwb() {
  init=$(ls /usr/share/fwbuilder-*/objects_init.xml | head -n 1)
  awk '/<Library id="sysid99"/ && !done {
    print "  <Library id=\"fwrbench\" color=\"#d2ffd0\" name=\"User\" comment=\"\" ro=\"False\">"
    print "    <ObjectGroup id=\"fwrbench1\" name=\"Objects\" comment=\"\" ro=\"False\">"
    n = split("Addresses|DNS Names|Address Tables|Groups|Hosts|Networks|Address Ranges", g, "|")
    for (i = 1; i <= n; i++)
      printf "      <ObjectGroup id=\"fwrbenchO%d\" name=\"%s\" comment=\"\" ro=\"False\"/>\n", i, g[i]
    print "    </ObjectGroup>"
    print "    <ServiceGroup id=\"fwrbench2\" name=\"Services\" comment=\"\" ro=\"False\">"
    n = split("Groups|ICMP|IP|TCP|UDP|Users|Custom|TagServices", g, "|")
    for (i = 1; i <= n; i++)
      printf "      <ServiceGroup id=\"fwrbenchS%d\" name=\"%s\" comment=\"\" ro=\"False\"/>\n", i, g[i]
    print "    </ServiceGroup>"
    print "    <ObjectGroup id=\"fwrbench3\" name=\"Firewalls\" comment=\"\" ro=\"False\"/>"
    print "    <ObjectGroup id=\"fwrbench4\" name=\"Clusters\" comment=\"\" ro=\"False\"/>"
    print "    <IntervalGroup id=\"fwrbench5\" name=\"Time\" comment=\"\" ro=\"False\"/>"
    print "  </Library>"
    done = 1
  }
  { print }' "$init"
}

# Line numbers (in the iptables-save file) of the rules fwbuilder reports as shadowed: its
# messages name policy rule positions, and each imported rule's comment names its line. fwbuilder
# 5.3.7 has been seen to leave that comment out; then position p is the (p+1)-th -A line, which
# holds for the generated rulesets (FORWARD rules only, imported in file order).
fwbuilder_shadowed_lines() {
  local fwb="$1" log="$2" save="$3"
  grep -o "shadows rule '[0-9]*" "$log" | awk '{ gsub("\x27", "", $3); print $3 }' | sort -un > "$log.positions"
  awk '/<PolicyRule / {
         pos = $0; sub(/.* position="/, "", pos); sub(/".*/, "", pos)
         line = $0
         if (sub(/.*Created during import of +line /, "", line)) { sub(/[^0-9].*/, "", line); print pos, line }
       }' "$fwb" > "$fwb.positions"
  if [ ! -s "$fwb.positions" ]; then
    echo "bench-fwbuilder: $fwb has no \"Created during import\" comments; rules mapped by order" >&2
    awk '/^-A / { print n++, NR }' "$save" > "$fwb.positions"
  fi
  awk 'NR == FNR { want[$1] = 1; next } ($1 in want) { print $2 }' "$log.positions" "$fwb.positions" | sort -un
  if [ "$(wc -l < "$log.positions")" -ne "$(awk 'NR == FNR { want[$1] = 1; next } ($1 in want)' "$log.positions" "$fwb.positions" | wc -l)" ]; then
    echo "bench-fwbuilder: some of fwbuilder's rule positions in $log have no line" >&2
    exit 2
  fi
}

median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

printf '%-6s %22s %22s %22s %9s %9s %10s %10s %8s\n' rules "fwb-import wall/cpu" "fwb-compile wall/cpu" \
  "fwreview wall/cpu" cpu-ratio wall-ratio fwb-shadow fwr-cover missing
status=0
for n in $sizes; do
  save="$out/rules-$n.save"
  generate "$n" > "$save"

  : > "$out/fwreview-$n.times"
  for ((run = 0; run < runs; run++)); do
    timed "$out/fwreview-$n.json" "$fwreview" analyze --format json "$save" >> "$out/fwreview-$n.times"
  done
  fwr_wall=$(cut -d' ' -f1 "$out/fwreview-$n.times" | median)
  fwr_cpu=$(cut -d' ' -f2 "$out/fwreview-$n.times" | median)
  "$fwreview" analyze --format csv "$save" > "$out/fwreview-$n.csv"
  awk -F, '$2 == "shadowed" || $2 == "redundant" { print $5 }' "$out/fwreview-$n.csv" | sort -un > "$out/fwreview-$n.lines"

  fwb="$out/fwbuilder-$n.fwb"
  empty_fwb > "$fwb"
  read -r import_wall import_cpu < <(timed "$out/fwbuilder-$n.import.log" \
    fwbedit import -f "$fwb" -i "$save" -o /User/Firewalls/bench)
  read -r compile_wall compile_cpu < <(timed "$out/fwbuilder-$n.compile.log" \
    fwb_ipt -v -xt -f "$fwb" -d "$out" bench)
  if ! grep -q "Compiled successfully" "$out/fwbuilder-$n.compile.log"; then
    echo "bench-fwbuilder: fwb_ipt failed, see $out/fwbuilder-$n.compile.log" >&2
    exit 2
  fi
  mv "$out/bench.fw" "$out/fwbuilder-$n.fw"
  fwb_wall=$(awk -v a="$import_wall" -v b="$compile_wall" 'BEGIN { printf "%.3f", a + b }')
  fwb_cpu=$(awk -v a="$import_cpu" -v b="$compile_cpu" 'BEGIN { printf "%.3f", a + b }')
  fwbuilder_shadowed_lines "$fwb" "$out/fwbuilder-$n.compile.log" "$save" > "$out/fwbuilder-$n.lines"

  missing=$(awk 'NR == FNR { ours[$1] = 1; next } !($1 in ours)' "$out/fwreview-$n.lines" "$out/fwbuilder-$n.lines" | wc -l)
  [ "$missing" -eq 0 ] || status=1
  ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.0fx", (b > 0 ? a / b : 0) }'; }
  printf '%-6s %22s %22s %22s %9s %9s %10s %10s %8s\n' "$n" "${import_wall}s/${import_cpu}s" \
    "${compile_wall}s/${compile_cpu}s" "${fwr_wall}s/${fwr_cpu}s" "$(ratio "$fwb_cpu" "$fwr_cpu")" \
    "$(ratio "$fwb_wall" "$fwr_wall")" "$(wc -l < "$out/fwbuilder-$n.lines")" \
    "$(wc -l < "$out/fwreview-$n.lines")" "$missing"
done
echo "files in $out"
exit $status
