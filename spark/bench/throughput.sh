#!/usr/bin/env bash
# The throughput comparison of docs/scale-out.md: the Spark job at local[2] against
# `tessera index` (or `import-captions`) + coding, on the same files, with the shipped bundle.
# Usage: spark/bench/throughput.sh WORK_DIR (index|import-captions) INPUT
#   index INPUT: a folder (e.g. one written by BenchPhotos); import-captions INPUT: a manifest.csv
# Needs: ./mvnw -B -pl spark -am package -Pjob -DskipTests, and WORK_DIR/spark-cp.txt holding the
# classpath of Spark's own jars (the cluster's side; e.g. spark-sql_2.13's dependency classpath).
set -u
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$ROOT"
B=$1 MODE=$2 INPUT=$3
NAME=$(basename "$INPUT" | tr -c 'a-zA-Z0-9\n' '-')
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
export OMP_NUM_THREADS=1 OMP_WAIT_POLICY=PASSIVE MALLOC_MMAP_THRESHOLD_=131072
PIN="-Dai.djl.pytorch.num_threads=1 -Dai.djl.pytorch.num_interop_threads=1"
export TESSERA_JAVA_OPTS="-Dtessera.home=$B/home $PIN"
BUNDLE=$ROOT/models/src/main/resources/app/tessera/models/default
SPARK_FLAGS=$(grep -o '<spark.jvm.flags>[^<]*' spark/pom.xml | sed 's/<spark.jvm.flags>//')
now() { date +%s.%N; }
log() { echo "$*" | tee -a "$B/results.log"; }

log "### $(date -u) $NAME: load $(cut -d' ' -f1-3 /proc/loadavg)"
rm -f "$B/$NAME.sqlite"*
t0=$(now)
if [ "$MODE" = index ]; then
  ./tessera index "$INPUT" --threads 2 --json --library "$B/$NAME.sqlite" > "$B/$NAME-index.out" 2>&1
else
  ./tessera import-captions "$INPUT" --json --library "$B/$NAME.sqlite" > "$B/$NAME-index.out" 2>&1
fi
t1=$(now)
./tessera search --text "a red circle" --library "$B/$NAME.sqlite" > /dev/null 2>&1 # codes it
t2=$(now)
./tessera search --text "a red circle" --library "$B/$NAME.sqlite" > /dev/null 2>&1
t3=$(now)
log "local: ${MODE}_s=$(echo "$t1-$t0" | bc) coding_s=$(echo "($t2-$t1)-($t3-$t2)" | bc)"

log "spark local[2]: load $(cut -d' ' -f1-3 /proc/loadavg)"
rm -rf "$B/$NAME-out"
[ "$MODE" = index ] && ARG=--input || ARG=--manifest
t0=$(now)
# shellcheck disable=SC2086  # flag lists
"$JAVA_HOME/bin/java" -Xmx6g --enable-native-access=ALL-UNNAMED $SPARK_FLAGS $PIN \
  -Dtessera.home="$B/home" -Djava.awt.headless=true \
  -cp "$(cat "$B/spark-cp.txt")" org.apache.spark.deploy.SparkSubmit --master 'local[2]' \
  --conf spark.ui.enabled=false --conf spark.driver.host=127.0.0.1 \
  --class app.tessera.spark.CodeArchive spark/target/tessera-spark-job.jar \
  $ARG "$INPUT" --model "$BUNDLE" --out "$B/$NAME-out" > "$B/$NAME-spark.out" 2>&1
t1=$(now)
log "spark: process_s=$(echo "$t1-$t0" | bc)"
grep -E "images coded" "$B/$NAME-spark.out" | tee -a "$B/results.log"
grep -E "Job [0-9]+ finished: parquet at CodeArchive" "$B/$NAME-spark.out" | head -1 | tee -a "$B/results.log"
