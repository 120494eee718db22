#!/usr/bin/env bash
# One JMH benchmark in several forks, each fork's mean printed before JMH's own summary: forks of the
# same jar can settle at different levels (docs/benchmarks.md, "The eighth pass"), so one fork is one
# draw. Usage: benchmarks/jmh-forks.sh REGEX [FORKS] [JAR]; JARGS="-XX:..." adds JVM options to the forks.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
jar="${3:-$here/target/benchmarks.jar}"
[ -f "$jar" ] || { echo "jmh-forks.sh: $jar is missing (mvn -B -DskipTests -pl benchmarks -am package)" >&2; exit 2; }
args=()
[ -n "${JARGS:-}" ] && args=(-jvmArgsAppend "$JARGS")
java -jar "$jar" "$1" -p unrelated=0 -f "${2:-5}" -wi 10 -w 1s -i 5 -r 1s "${args[@]}" 2>&1 | awk '
/^# Fork:/ { if (n) printf "%.0f ", s / n; s = 0; n = 0 }
/^Iteration/ { s += $3; n++ }
/avgt/ { if (n) printf "%.0f ", s / n; n = 0; print "(fork means, ns)"; print }'
