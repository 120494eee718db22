#!/usr/bin/env bash
# One JMH benchmark in several forks, each fork's mean printed, then their median, before JMH's own
# summary: forks of the same jar can settle at different levels (docs/benchmarks.md, "The eighth
# pass" and "The ninth pass"), so one fork is one draw and the median of the forks is the figure.
#
# Usage: benchmarks/jmh-forks.sh REGEX [FORKS] [JAR]
#   JARGS="-XX:..."  adds JVM options to the forks.
#   UNRELATED=10000  the number of unrelated policies loaded beside the model (default 0).
#   CPUS=1           runs the forks on those CPUs only (taskset -c; the forks inherit it), the
#                    others left to the rest of the machine.
#   benchmarks/jmh-forks.sh --summarize < jmh-output   summarizes output JMH already printed.
set -euo pipefail

summarize() {
  awk '
  function fork_done() { if (n) { means[++forks] = s / n; printf "%.0f ", s / n } s = 0; n = 0 }
  /^# Fork:/ { fork_done() }
  /^Iteration/ { s += $3; n++ }
  /avgt/ && !done {
    fork_done(); done = 1
    print "(fork means, ns)"
    # the median: sort the means (a few, so insertion sort) and take the middle one or two
    for (i = 2; i <= forks; i++) { v = means[i]; for (j = i - 1; j >= 1 && means[j] > v; j--) means[j + 1] = means[j]; means[j + 1] = v }
    if (forks) printf "median of %d forks: %.0f ns\n", forks, forks % 2 ? means[(forks + 1) / 2] : (means[forks / 2] + means[forks / 2 + 1]) / 2
    print; next
  }
  /avgt/ { print }'
}

if [ "${1:-}" = "--summarize" ]; then
  summarize
  exit 0
fi
[ $# -ge 1 ] || { echo "usage: jmh-forks.sh REGEX [FORKS] [JAR]" >&2; exit 2; }
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
jar="${3:-$here/target/benchmarks.jar}"
[ -f "$jar" ] || { echo "jmh-forks.sh: $jar is missing (mvn -B -DskipTests -pl benchmarks -am package)" >&2; exit 2; }
args=()
[ -n "${JARGS:-}" ] && args=(-jvmArgsAppend "$JARGS")
pin=()
[ -n "${CPUS:-}" ] && pin=(taskset -c "$CPUS")
"${pin[@]}" java -jar "$jar" "$1" -p unrelated="${UNRELATED:-0}" -f "${2:-5}" -wi 10 -w 1s -i 5 -r 1s "${args[@]}" 2>&1 | summarize
