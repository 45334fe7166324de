#!/usr/bin/env bash
# The program Maelstrom launches as each node:
#
#   maelstrom test -w echo --bin ./maelstrom.sh echo
#
# The first word names the script: a Maelstrom workload (echo, unique-ids, broadcast,
# g-counter, kafka, txn-rw-register) or the path of a node script (.java); the words
# after it are the script's own options.
#
# Maelstrom starts every node at once and gives each ten seconds to answer init, so
# this never runs JBang on the start path. It builds each script once, under a lock,
# into .cache/ beside this file: the class path, the java to run, and an AOT cache
# (class-data sharing: classes parsed, linked and profiled ahead of time) recorded by
# a training run that ends normally, since Maelstrom kills nodes with SIGKILL and an
# archive written at exit would never appear. A change to the script, to lib/ or to
# this file rebuilds it. Then it execs java directly.
#
#   ./maelstrom.sh --prepare [NAME...]   builds ahead of time (every workload if none)
#
# Nothing but protocol reaches stdout: build output and JVM warnings go to stderr.
set -euo pipefail

self=$(readlink -f "${BASH_SOURCE[0]}")
root=${self%/*}
workloads=(echo unique-ids broadcast g-counter kafka txn-rw-register)

usage() {
  cat >&2 <<EOF
usage: $(basename "$0") NAME [OPTIONS...]      run a node
       $(basename "$0") --prepare [NAME...]    build ahead of time
NAME is a workload (${workloads[*]}) or the path of a node script (.java).
EOF
  exit 2
}

# The script that serves a name.
script_for() {
  case "$1" in
    txn-rw-register | txn) echo "$root/txn.java" ;;
    echo | unique-ids | broadcast | g-counter | kafka) echo "$root/$1.java" ;;
    *.java)
      if [ -f "$1" ]; then readlink -f "$1"
      elif [ -f "$root/$1" ]; then readlink -f "$root/$1"   # relative to the repository
      else return 1; fi ;;
    *) return 1 ;;
  esac
}

# The flags of every run, the training run included: an AOT cache is only used by a
# JVM started the way the one that recorded it was.
jvm_flags=(
  -XX:+UseSerialGC            # one small heap per node: 25 nodes share two cores
  -XX:TieredStopAtLevel=1     # C1 only: less compiling at start, fast enough after
  -XX:-UsePerfData
  -Xss512k
  -Djdk.reflect.useNativeAccessorOnly=true   # reflection without spinning classes at first messages
  -Xlog:disable -Xlog:all=warning:stderr   # the JVM's warnings would go to stdout
)

# The training run's requests: init, then rounds of every workload's requests.
training_requests() {
  local c='"src":"c1","dest":"n0"' i
  echo '{"src":"c0","dest":"n0","body":{"type":"init","node_id":"n0","node_ids":["n0","n1"],"msg_id":1}}'
  echo "{$c,\"body\":{\"type\":\"topology\",\"topology\":{\"n0\":[\"n1\"],\"n1\":[\"n0\"]},\"msg_id\":2}}"
  for ((i = 1; i <= 200; i++)); do
    cat <<EOF
{$c,"body":{"type":"echo","echo":"training $i","msg_id":${i}01}}
{$c,"body":{"type":"generate","msg_id":${i}02}}
{$c,"body":{"type":"broadcast","message":$i,"msg_id":${i}03}}
{$c,"body":{"type":"read","msg_id":${i}04}}
{$c,"body":{"type":"add","delta":$i,"msg_id":${i}05}}
{$c,"body":{"type":"send","key":"k$((i % 4))","msg":$i,"msg_id":${i}06}}
{$c,"body":{"type":"poll","offsets":{"k$((i % 4))":0},"msg_id":${i}07}}
{$c,"body":{"type":"commit_offsets","offsets":{"k$((i % 4))":$i},"msg_id":${i}08}}
{$c,"body":{"type":"list_committed_offsets","keys":["k$((i % 4))"],"msg_id":${i}09}}
{$c,"body":{"type":"txn","txn":[["r",$((i % 8)),null],["w",$((i % 8)),$i]],"msg_id":${i}10}}
EOF
  done
}

# Builds $script into $dir unless its stamp says the build is current.
build() {
  local script=$1 dir=$2 stamp=$3
  mkdir -p "$dir"
  exec 9>"$dir/.lock"
  flock 9
  if [ -f "$dir/stamp" ] && [ "$(<"$dir/stamp")" = "$stamp" ]; then exec 9>&-; return; fi
  echo "[maelstrom.sh] building $script" >&2
  rm -f "$dir/stamp"
  local info tmp
  "$root/jbang" --quiet build "$script" >&2
  info=$("$root/jbang" --quiet info tools "$script")
  json_field() { sed -n "s/^  \"$1\": \"\(.*\)\",*$/\1/p" <<<"$info"; }
  local jdk main cp
  jdk=$(json_field availableJdkPath)
  main=$(json_field mainClass)
  cp=$("$root/jbang" --quiet info classpath "$script")
  [ -x "$jdk/bin/java" ] && [ -n "$main" ] && [ -n "$cp" ] || { echo "[maelstrom.sh] could not build $script" >&2; exit 1; }
  tmp=$(mktemp -d "$dir/tmp.XXXXXX")
  # Training: init, then 200 rounds of one request of every workload (a script
  # answers those it does not handle with error 10); meanwhile every message the node
  # sends its peer n1 comes back to it as if n1 had sent it, so that the script's own
  # node-to-node messages and replies are trained too. Then stdin closes and the JVM
  # exits normally, writing the cache. Training puts Jackson's record binding and the
  # hot paths' profiles into the cache: without it, 25 nodes binding their first
  # records and compiling their hot code at once on two cores answer seconds late.
  # Two writers feed the node: the requests, and the loop from its output, which runs
  # from the start (a FIFO's opening blocks until both ends are open) and ends the
  # training after 5 s; the node's stdin closes when both have.
  mkfifo "$tmp/to-node" "$tmp/from-node"
  training_requests >"$tmp/to-node" &
  timeout 5 sed -un 's/^{"src":"n0","dest":"n1",/{"src":"n1","dest":"n0",/p' <"$tmp/from-node" >"$tmp/to-node" &
  (cd "$tmp" && "$jdk/bin/java" "${jvm_flags[@]}" -XX:AOTCacheOutput="$tmp/app.aot" -cp "$cp" "$main" \
    <"$tmp/to-node" >"$tmp/from-node" 2>"$tmp/training.log") || true
  wait
  [ -s "$tmp/app.aot" ] || { cat "$tmp/training.log" >&2; echo "[maelstrom.sh] no AOT cache for $script" >&2; exit 1; }
  mv "$tmp/app.aot" "$dir/app.aot"
  rm -rf "$tmp"
  printf '%s\n' "$jdk/bin/java" >"$dir/java"
  printf '%s\n' "$main" >"$dir/main"
  printf '%s\n' "$cp" >"$dir/classpath"
  printf '%s\n' "$stamp" >"$dir/stamp"   # last: the build is whole once this is there
  exec 9>&-
}

# Makes sure $1's build is current; sets dir. Every node runs this, so it forks as
# little as it can: one hash of the sources, and bash builtins for the rest.
prepare() {
  local script stamp rel
  script=$(script_for "$1") || { echo "[maelstrom.sh] unknown node: $1" >&2; usage; }
  [ -f "$script" ] || { echo "[maelstrom.sh] no script $script" >&2; exit 2; }
  rel=${script#"$root"/}
  dir=$root/.cache/build/${rel//\//_}
  stamp=$(sha1sum "$script" "$root"/lib/*.java "$self")
  [ -f "$dir/stamp" ] && [ "$(<"$dir/stamp")" = "$stamp" ] || build "$script" "$dir" "$stamp"
}

[ $# -gt 0 ] || usage
case "$1" in
  -h | --help) usage ;;
  --prepare)
    shift
    [ $# -gt 0 ] || set -- "${workloads[@]}"
    for name in "$@"; do
      script=$(script_for "$name") || usage
      if [ -f "$script" ]; then prepare "$name"; else echo "[maelstrom.sh] skipping $name: no $script yet" >&2; fi
    done
    exit 0 ;;
esac

prepare "$1"
shift
read -r java <"$dir/java"
read -r classpath <"$dir/classpath"
read -r main <"$dir/main"
exec "$java" "${jvm_flags[@]}" -XX:AOTCache="$dir/app.aot" -cp "$classpath" "$main" "$@"
