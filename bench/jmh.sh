#!/usr/bin/env bash
# Runs JMH benchmarks compiled from src/test/java (the annotation processor generates them into
# target/test-classes). Arguments go to org.openjdk.jmh.Main unchanged, e.g.
#   bench/jmh.sh PlanningBench -f 1 -wi 3 -i 5
#   bench/jmh.sh NumaMapsParseBench -f 1 -wi 3 -i 5
#   bench/jmh.sh -l                      # list benchmarks
# SKIP_BUILD=1 reuses target/ as it is; JAVA_OPTS is passed to the harness JVM (not the forks).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "${SKIP_BUILD:-0}" != 1 ]; then
  mvn -B -q -DskipTests test-compile
fi
cp_file=target/jmh.classpath
mvn -B -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$cp_file" >/dev/null
exec java ${JAVA_OPTS:-} -cp "target/test-classes:target/classes:$(cat "$cp_file")" \
  org.openjdk.jmh.Main "$@"
