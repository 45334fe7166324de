#!/bin/sh
# The program Maelstrom launches as each node:
#
#   maelstrom test -w echo --bin ./maelstrom.sh echo
#   maelstrom test -w broadcast ... --bin ./maelstrom.sh broadcast hub-batch=1000
#
# The first word names the script: a Maelstrom workload (echo, unique-ids, broadcast,
# g-counter, kafka, txn-rw-register, lin-kv, g-set, pn-counter, txn-list-append) or the
# path of a node script (.java). The words after it are the script's own options, as
# name=value: Maelstrom takes every word that starts with a dash as its own and stops
# (--name value works everywhere else).
#
# Maelstrom starts every node at once, gives each ten seconds to answer init, and kills
# nodes with SIGKILL. So JBang never runs on a node's start path once a script is built,
# and a build outlives the node that started it. Builds live in .cache/build/ beside
# this file, one folder a script, in three steps:
#
# - compile: `jbang info tools` resolves the script's //DEPS, //SOURCES and JDK, and
#   javac compiles them. JBang's answer is kept and asked again only when it may have
#   changed: another directive in the script or a file it sources, another set of files
#   a //SOURCES pattern matches, or other JDKs to choose from. The first node to find no
#   compile starts the build detached (its own session, its own log) and hands it the
#   build lock; every node waits on that lock. A node killed at init's deadline leaves
#   the build running, and the next start uses it.
# - short training, when ten nodes or more wait for the build: an AOT cache (classes
#   parsed and linked ahead of time) recorded by a run of the script on init alone, which
#   takes about a JVM's start and exit. The build holds the lock through it, so that the
#   waiting nodes start with it: 25 JVMs start with it in well under half the time they
#   take without one, which is more than the training costs; a few JVMs do not save that
#   much, and start without a cache.
# - full training: an AOT cache recorded by a run on every workload's requests, which
#   also covers what a node loads after init. It runs detached at the lowest priority
#   and replaces the short cache for every later start. An archive is written as the JVM
#   exits normally, never under SIGKILL: hence training runs.
#
# A build is used only with the sources, the checkout, the JDK and the jars it was made
# from: a change to any of them rebuilds. A half-made build is never seen: each step
# writes into fresh folders and marks itself done last.
#
#   ./maelstrom.sh --prepare [NAME...]   compile and full training now, in the foreground (every workload if none)
#
# Nothing but protocol reaches stdout: build output goes to the build's logs, JVM
# warnings to stderr.
#
# Every node's start is the first part of this file, in POSIX sh: a node whose build has
# its full cache execs its JVM from there, before the shell has read further. Everything
# else (building, waiting for a build, a start on the short cache, --prepare) is the rest
# of the file, in bash, which the first part execs when it cannot start the node itself.
# The split is for the 25 nodes that start at once: /bin/sh (dash here) starts in half
# of bash's CPU, and a bash found through `/usr/bin/env` costs an exec more
# (docs/startup.md has the figures).
set -eu

nl='
'
# This file's real path, as readlink -f gives it, without a process of its own at each
# node's start (every fork costs each of the 25 nodes CPU): the folder's through cd -P
# and back, the file's own through readlink only if it is a link.
self=$0
if [ -L "$self" ]; then self=$(readlink -f "$self"); fi
case $self in /*) ;; *) self=./$self ;; esac   # a relative folder: not one that CDPATH finds
here=$PWD
cd -P -- "${self%/*}"
root=$PWD
cd -- "$here"
self=$root/${self##*/}
# Each Maelstrom workload and the script that serves it.
workloads="echo:echo.java unique-ids:unique-ids.java broadcast:broadcast.java g-counter:g-counter.java
  kafka:kafka.java txn-rw-register:txn.java lin-kv:lin-kv.java g-set:g-set.java pn-counter:pn-counter.java
  txn-list-append:txn-list-append.java"
# The training run's requests, made by the bench's workloads (`./jbang bench.java training`
# writes them; the bench need not be built for a node to be).
training=$root/.generated/training.jsonl

# The flags of every run, the training run included: an AOT cache is only used by a
# JVM started the way the one that recorded it was. (Words without spaces or patterns:
# they are expanded unquoted.)
jvm_flags="-XX:+UseSerialGC"                      # one small heap per node: 25 nodes share two cores
# A heap that starts small and grows as it must: the default first heap is 1/64 of the
# machine's memory, which every one of 25 starting JVMs commits and sets up.
jvm_flags="$jvm_flags -Xms8m"
jvm_flags="$jvm_flags -XX:TieredStopAtLevel=1"    # C1 only: less compiling at start, fast enough after
jvm_flags="$jvm_flags -XX:-UsePerfData -Xss512k"
jvm_flags="$jvm_flags -Djdk.reflect.useNativeAccessorOnly=true"   # reflection without spinning classes at first messages
# An AOT cache of classes without method profiles: C1 at level 1 compiles without
# them, and with them every start maps them and replays them into early compiles.
jvm_flags="$jvm_flags -XX:+UnlockDiagnosticVMOptions -XX:-AOTRecordTraining -XX:-AOTReplayTraining"
jvm_flags="$jvm_flags -Xlog:disable -Xlog:all=warning:stderr"   # the JVM's warnings would go to stdout

workload_names() {
  local each names=""
  for each in $workloads; do names="$names${names:+ }${each%%:*}"; done
  echo "$names"
}

# Sets script to the script that serves a name (in this shell: no fork for a workload's).
script_for() {
  local each
  for each in $workloads; do
    if [ "${each%%:*}" = "$1" ]; then script=$root/${each#*:}; return 0; fi
  done
  case $1 in *.java) ;; *) return 1 ;; esac
  if [ -f "$1" ]; then script=$(readlink -f "$1")
  elif [ -f "$root/$1" ]; then script=$(readlink -f "$root/$1")   # relative to the repository
  else return 1; fi
}

# Sets name, script, dir (its build folder) and input_list (what a build is made from,
# a line each: the sources and this file, whose paths and contents its stamp holds).
# Fails for a name that names no script.
locate() {
  local rel each
  name=$1
  script=""
  script_for "$name" && [ -f "$script" ] || return 1
  rel=${script#"$root"/}
  dir=$root/.cache/build/
  while case $rel in */*) ;; *) false ;; esac; do   # each / of the path becomes _
    dir=$dir${rel%%/*}_
    rel=${rel#*/}
  done
  dir=$dir$rel
  input_list=$script
  for each in "$root"/lib/*.java "$training" "$self"; do input_list=$input_list$nl$each; done
}

# Whether the inputs are the ones the compile stamped, without hashing them (sha1sum
# would be a process of its own at every node's start): the same paths, each with the
# mtime, to the nanosecond, it had when the compile began. Any write to an input, and
# any other file put in its place, changes that, and then the stamp decides.
unchanged() {
  local rest=$input_list path i=0
  [ -f "$dir/seen/paths" ] || return 1
  while IFS= read -r path; do
    [ -n "$rest" ] && [ "$path" = "${rest%%"$nl"*}" ] && [ -e "$dir/seen/$i" ] || return 1
    case $rest in *"$nl"*) rest=${rest#*"$nl"} ;; *) rest="" ;; esac
    if [ "$path" -nt "$dir/seen/$i" ] || [ "$path" -ot "$dir/seen/$i" ]; then return 1; fi
    i=$((i + 1))
  done <"$dir/seen/paths"
  [ -z "$rest" ]
}

# Whether the compile in $dir is whole and its JDK and jars are still the ones it was
# made with; sets java, main, classes and deps. Shell builtins only: every node runs it.
built() {
  local java_link entry IFS=:
  [ -f "$dir/compiled" ] || return 1
  { read -r java_link && read -r java && read -r main && read -r classes && read -r deps; } <"$dir/compiled" || return 1
  # JBang's JDK link still leads to the JDK we resolved, which has not changed since.
  [ "$java_link" -ef "$java" ] && [ -x "$java" ] && ! [ "$java" -nt "$dir/stamp" ] || return 1
  for entry in $classes $deps; do
    [ -e "$entry" ] && ! [ "$entry" -nt "$dir/stamp" ] || return 1
  done
}

# Whether the current compile has an AOT cache; sets class_path (its jar first, the cache
# beside it), aot (the cache) and kind (short or full). After built. Each cache, with the
# jar it was recorded on, is a folder of its own that never changes once trained names it.
trained() {
  [ "$dir/trained" -nt "$dir/stamp" ] && { read -r class_path && read -r kind; } <"$dir/trained" || return 1
  aot=${class_path%%:*}
  aot=${aot%/*}/app.aot
  [ -f "$aot" ]
}

# A node's start. Anything but a build with its full cache (and every other command) goes to bash.
if [ -z "${MAELSTROM_SH_BUILD:-}" ]; then
  case ${1:-} in
    "" | -*) ;;
    *)
      if locate "$1" && [ -f "$dir/stamp" ] && unchanged && built && trained && [ "$kind" = full ]; then
        shift
        exec "$java" $jvm_flags -XX:AOTCache="$aot" -cp "$class_path" "$main" "$@"
      fi ;;
  esac
  export MAELSTROM_SH_BUILD=1
  exec bash "$self" "$@"
fi

# ---- Bash from here on: the build, and a start that must wait for one. ----
unset MAELSTROM_SH_BUILD
set -o pipefail
training_limit=60         # seconds; a full training run that takes longer is a failed one
short_training_limit=10   # seconds, as long as init's deadline: the first nodes wait for it
# The nodes waiting for a build from which the short training pays: it costs about as
# much as a few nodes' starts without a cache, and saves each node more than half of one.
short_training_nodes=10

usage() {
  cat >&2 <<EOF
usage: $(basename "$0") NAME [OPTIONS...]      run a node (OPTIONS as name=value, or --help)
       $(basename "$0") --prepare [NAME...]    build ahead of time
NAME is a workload ($(workload_names)) or the path of a node script (.java).
EOF
  exit 2
}

log() { echo "[maelstrom.sh] $*" >&2; }

# Seconds since $1, an $EPOCHREALTIME, to a tenth.
since() {
  local tenths=$(((${EPOCHREALTIME/./} - ${1/./}) / 100000))
  echo "$((tenths / 10)).$((tenths % 10))"
}

# locate, with the inputs as an array for the build steps; reports a name it does not know.
locate_build() {
  if ! locate "$1"; then
    [ -n "${script:-}" ] && { log "no script $script"; exit 2; }
    log "unknown node: $1"
    usage
  fi
  mapfile -t inputs <<<"$input_list"
}

# Whether $dir holds a whole compile of the inputs as they are now; sets java, main,
# classes and deps, and hashed when the inputs' mtimes changed and their content had to
# be hashed (a process of its own) to tell.
compiled() {
  hashed=""
  [ -f "$dir/stamp" ] && { unchanged || { hashed=1; [ "$(<"$dir/stamp")" = "$(hash_inputs)" ]; }; } && built
}

# The stamp of the inputs as they are now: their paths and contents.
hash_inputs() {
  sha1sum "${inputs[@]}"
}

# After compiled had to hash the inputs and found the content it was built from (a
# checkout, or an editor, wrote the same text again), their new mtimes become the ones
# unchanged compares with, so that later starts skip the hash again. The mtimes are
# taken before the hash that vouches for them, as the compile does; under the build lock
# if it is free (no compile is replacing seen), else left to a later start.
remember_mtimes() {
  local seen i IFS=$'\n'
  exec 9>"$dir/.lock"
  if flock -n 9; then
    seen=$(mktemp -d "$dir/seen.XXXXXX")
    for i in "${!inputs[@]}"; do touch -r "${inputs[i]}" "$seen/$i"; done
    printf '%s\n' "${inputs[@]}" >"$seen/paths"
    if [ "$(<"$dir/stamp")" = "$(hash_inputs)" ]; then
      rm -rf "$dir/seen"
      mv "$seen" "$dir/seen"
    else
      rm -rf "$seen"
    fi
  fi
  exec 9>&-
}

# Runs $@ detached: its own session, no stdio of the node's and not the node's child, so
# that neither SIGKILL nor a closed pipe reaches it.
detach() {
  (setsid "$@" </dev/null >/dev/null 2>&1 &)
}

# JBang's answer ($info, `jbang info tools`: one JSON field, or one array element, a line).
field() { sed -n "s/^  \"$1\": \"\(.*\)\",*$/\1/p" <<<"$info"; }
elements() { sed -n "/^  \"$1\": \[/,/^  \]/s/^    \"\(.*\)\",*$/\1/p" <<<"$info"; }
sources_of_answer() { sed -n 's/^ *"backingResource": "\(.*\)",*$/\1/p' <<<"$info" | awk '!seen[$0]++'; }

# The folders a //SOURCES pattern of the files $@ searches, a line each: the part of
# each pattern before its first wildcard, from the folder of the file that names it.
pattern_folders() {
  local file line word words folder
  for file in "$@"; do
    while IFS= read -r line; do
      read -ra words <<<"${line#//SOURCES}"
      for word in "${words[@]}"; do
        case $word in *[*?[{]*) ;; *) continue ;; esac
        folder=${word%%[*?[{]*}
        case $folder in */*) folder=${folder%/*} ;; *) folder=. ;; esac
        case $folder in /*) ;; *) folder=${file%/*}/$folder ;; esac
        echo "$folder"
      done
    done < <(grep '^//SOURCES ' "$file" 2>/dev/null)
  done
}

# Sets watched to the files and folders JBang's answer $info depends on: the script and
# every file it sources, and the folders that their //SOURCES patterns search.
watch_answer() {
  local sources
  mapfile -t sources < <(sources_of_answer)
  mapfile -t watched < <(pattern_folders "${sources[@]}")
  watched=("${sources[@]}" "${watched[@]}")
}

# The stamp of what JBang's answer depends on, which it cannot have changed while this
# is the same: the script's path (a copied checkout asks again: the answer names the
# files it copied), the JDKs JBang chooses from, the launcher, each watched file's path
# and directives (//NAME lines and @Grab), and every path under each watched folder.
# After watch_answer.
answer_stamp() {
  local jdk each
  {
    printf '%s\n' "$script" "${JAVA_HOME:-}" "$(command -v java)"
    for jdk in "${JBANG_DIR:-$HOME/.jbang}"/cache/jdks/*; do echo "$jdk $(readlink -f "$jdk")"; done
    sha1sum "$root/jbang"
    for each in "${watched[@]}"; do
      echo "== $each"
      if [ -d "$each" ]; then find "$each" | LC_ALL=C sort; else grep -E '^//[A-Z]|@Grab' "$each"; fi
    done
  } 2>&1 | sha1sum
}

# Whether the JDK and the jars that JBang's answer $info names are there.
answer_usable() {
  local dep
  [ -x "$(field availableJdkPath)/bin/java" ] || return 1
  while IFS= read -r dep; do [ -f "$dep" ] || return 1; done < <(elements resolvedDependencies)
}

# Sets info to JBang's answer about the script: the one kept in $dir/info with the stamp
# of what it depends on, when that stamp still holds and the answer is usable; else
# JBang's, kept unless a watched file was written while JBang ran (the answer may then
# be of neither version).
resolve() {
  local kept asked stamp
  if [ -f "$dir/info" ]; then
    kept=$(<"$dir/info")
    info=${kept#*"$nl"}
    watch_answer
    [ "${kept%%"$nl"*}" = "$(answer_stamp)" ] && answer_usable && resolved="JBang's answer kept" && return 0
  fi
  resolved="JBang asked"
  asked=$(mktemp "$dir/info.XXXXXX")   # its mtime: when JBang was asked
  info=$("$root/jbang" --quiet info tools "$script" 9>&-) || { rm -f "$asked"; return 1; }
  # JBang names a main class only for a script it has built itself, as it was then;
  # compile finds the class in the script as it is.
  info=$(sed '/^  "mainClass": /d' <<<"$info")
  watch_answer
  stamp=$(answer_stamp)
  if [ -z "$(find "${watched[@]}" -newer "$asked" -print -quit 2>&1)" ]; then
    printf '%s\n' "$stamp" "$info" >"$asked"
    mv "$asked" "$dir/info"
  else
    rm -f "$asked"
  fi
}

# The compile step, under the build lock on fd 9. Prints javac's and JBang's output.
compile() {
  compiled && return 0
  rm -f "$dir/stamp"
  local started=$EPOCHREALTIME info resolved jdk package options=() sources=() previous="" stamp seen i
  # The inputs' mtimes, then their stamp: an input written from here on fails unchanged.
  rm -rf "$dir"/seen.*   # a compile that failed left its own; this one holds the build lock
  seen=$(mktemp -d "$dir/seen.XXXXXX")
  for i in "${!inputs[@]}"; do touch -r "${inputs[i]}" "$seen/$i"; done
  printf '%s\n' "${inputs[@]}" >"$seen/paths"
  stamp=$(hash_inputs)
  [ -f "$dir/compiled" ] && previous=$(sed -n 4p "$dir/compiled")
  resolve || { log "jbang could not resolve $script"; return 1; }
  jdk=$(field availableJdkPath)
  # The main class: //MAIN, or the first class the script declares at the top level, in
  # its package, as in every script here.
  main=$(sed -n 's|^//MAIN \([A-Za-z0-9_.$]*\).*|\1|p' "$script" | head -n 1)
  if [ -z "$main" ]; then
    package=$(sed -n 's/^package \([A-Za-z0-9_.]*\);.*/\1./p' "$script" | head -n 1)
    main=$(sed -En 's/^((public|final|abstract|sealed) )*(class|record|enum|interface) ([A-Za-z0-9_$]+).*/\4/p' "$script" | head -n 1)
    [ -z "$main" ] || main=$package$main
  fi
  deps=$(elements resolvedDependencies | paste -sd:)
  mapfile -t options < <(elements compileOptions)
  mapfile -t sources < <(sources_of_answer)
  [ -x "$jdk/bin/java" ] && [ -n "$main" ] && [ ${#sources[@]} -gt 0 ] || { log "jbang could not resolve $script"; return 1; }
  java=$(readlink -f "$jdk/bin/java")
  classes=$(mktemp -d "$dir/classes.XXXXXX")
  if ! "${java%/java}/javac" -J-XX:TieredStopAtLevel=1 -J-XX:+UseSerialGC "${options[@]}" \
      -cp "$deps" -d "$classes" "${sources[@]}" 9>&-; then
    rm -rf "$classes"
    log "could not compile $script"
    return 1
  fi
  [ -f "$classes/${main//.//}.class" ] || { rm -rf "$classes"; log "no main class $main in $script"; return 1; }
  # Keep the previous compile's classes for nodes still running on them.
  local old
  for old in "$dir"/classes.*; do
    [ "$old" = "$classes" ] || [ "$old" = "$previous" ] || rm -rf "$old"
  done
  printf '%s\n' "$jdk/bin/java" "$java" "$main" "$classes" "$deps" >"$dir/compiled"
  rm -rf "$dir/seen"
  mv "$seen" "$dir/seen"
  printf '%s\n' "$stamp" >"$dir/stamp"   # last: the compile is whole once this is there
  log "compiled $script in $(since "$started") s ($resolved)"
  compiled
}

# A training run: runs the script with $1 as its class path, for at most $2 seconds, on
# the lines of $training that the sed script $3 prints, and records the AOT cache beside
# the class path's first jar. Fails unless the JVM exited by itself, with the cache
# written whole. Meanwhile the run plays the node's network, from its output to its
# input: every message the node sends its peer n1 comes back to it as if n1 had sent it,
# so that the script's own node-to-node messages and replies are trained too, and
# lin-kv answers every compare-and-set (lib/Disk names a node's state folder with one at
# init, and would wait seconds for an answer). The network plays for $4 seconds, or
# until the node's init_ok when $4 is "init": then the node's stdin closes and the JVM
# exits normally, writing the cache. Two writers feed the node, a line a write each
# (whole lines of a pipe's buffer or less never interleave): the requests, and the
# network, which runs from the start (a FIFO's opening blocks until both ends are open).
record() {
  local cache=${1%%:*} work status=0 until="" seconds=$4
  cache=${cache%/*}/app.aot
  [ "$4" != init ] || { until='/"type":"init_ok"/q'; seconds=$2; }
  work=$(mktemp -d "$dir/run.XXXXXX")
  mkfifo "$work/to-node" "$work/from-node"
  sed -un "$3" "$training" >"$work/to-node" &
  timeout "$seconds" sed -un -e "$until" \
    -e 's/^{"src":"n0","dest":"n1",/{"src":"n1","dest":"n0",/p' \
    -e 's/^{"src":"n0","dest":"lin-kv","body":{"type":"cas",.*"msg_id":\([0-9]*\)}}$/{"src":"lin-kv","dest":"n0","body":{"type":"cas_ok","in_reply_to":\1}}/p' \
    <"$work/from-node" >"$work/to-node" &
  (cd "${cache%/*}" && timeout -s KILL "$2" "$java" $jvm_flags -XX:AOTCacheOutput="$cache" -cp "$1" "$main" \
    <"$work/to-node" >"$work/from-node" 9>&- 8>&-) || status=$?
  wait
  rm -rf "$work"
  [ "$status" -lt 128 ] && [ -s "$cache" ]   # a JVM killed, by the limit or else, may leave it half-written
}

# Makes the cache in folder $1 (recorded on class path $2, of kind $3) the one nodes
# start with, if the compile it was recorded on, whose classes are in $classes, is still
# the current one (else removes it and fails): each compile has a classes folder of its
# own. Under the build lock. Removes the other caches of its kind but the one it
# replaces, which nodes may still be running on: a short one is made under the build
# lock, and a full one by the one training that holds the training lock, so neither is
# removed as it is made.
install_cache() {
  local old previous="" recorded_on=$classes
  compiled && [ "$classes" = "$recorded_on" ] || { rm -rf "$1"; return 1; }
  [ -f "$dir/trained" ] && read -r previous <"$dir/trained"
  previous=${previous%%:*}
  printf '%s\n' "$2" "$3" >"$1/trained"
  mv "$1/trained" "$dir/trained"   # last: the cache is whole, and in use, once this is there
  for old in "$dir/$3".*; do
    [ "$old" = "$1" ] || [ "$old" = "${previous%/*}" ] || rm -rf "$old"
  done
}

# The short training, under the build lock, after the compile: the script's classes in a
# jar of their own (the cache's class path holds jars only), its dependencies' jars as
# they are (merging them, as the full training does, takes a JVM's start a jar), and a
# run on the training's first message, init.
record_short_cache() {
  local started=$EPOCHREALTIME out class_path
  out=$(mktemp -d "$dir/short.XXXXXX")
  class_path=$out/app.jar${deps:+:$deps}
  if "${java%/java}/jar" --create --file "$out/app.jar" -C "$classes" . 9>&- &&
      record "$class_path" "$short_training_limit" "1{p;q}" init; then
    install_cache "$out" "$class_path" short
    log "recorded the short AOT cache of $script in $(since "$started") s"
  else
    rm -rf "$out"
    log "no short AOT cache for $script: the nodes waiting for its build start without one"
    return 1
  fi
}

# The full training, under the training lock on fd 8: "detached" gives way to a training
# already under way, --prepare waits for it. It trains until the current compile has its
# full cache: a compile that replaced the one it trained on is trained in turn. Its
# output goes to train.log.
train() {
  exec 8>"$dir/.train.lock"
  if [ "$1" = detached ]; then flock -n 8 || return 0; else flock 8; fi
  while compiled || { log "no current compile of $script to train"; return 1; }; do
    trained && [ "$kind" = full ] && return 0
    record_full_cache >"$dir/train.log" 2>&1 && continue
    touch "$dir/train.failed"
    log "no full AOT cache for $script (log: $dir/train.log): nodes start with the short one, if any;" \
      "./maelstrom.sh --prepare $name tries again"
    return 1
  done
}

# Records the full AOT cache of the current compile and installs it with its jar. After compiled.
record_full_cache() {
  local started=$EPOCHREALTIME out work
  out=$(mktemp -d "$dir/full.XXXXXX")   # the jar's final place: the cache names its class path
  work=$(mktemp -d "$dir/training.XXXXXX")
  # One jar holds the script's classes and its dependencies', under a manifest of our own
  # that keeps multi-release entries in force: a node started on the dependencies' own
  # jars parses each one's manifest (jackson-databind's is kilobytes of OSGi headers) in
  # Java not yet compiled. The first jar of the class path that has a name keeps it, as
  # on the class path itself: the last is unpacked first.
  local jars i merged=$work/merged
  IFS=: read -ra jars <<<"$deps"
  mkdir "$merged"
  for ((i = ${#jars[@]} - 1; i >= 0; i--)); do
    (cd "$merged" && "${java%/java}/jar" --extract --file "${jars[i]}")
  done
  cp -R "$classes"/. "$merged"/
  rm -f "$merged/META-INF/MANIFEST.MF"
  printf 'Multi-Release: true\n' >"$work/manifest"
  "${java%/java}/jar" --create --file "$out/app.jar" --manifest "$work/manifest" -C "$merged" .
  rm -rf "$merged"
  # Training: the requests of $training, every workload's (a script answers those it
  # does not handle with error 10), and the node's own messages for 5 s.
  if ! record "$out/app.jar" "$training_limit" p 5; then
    rm -rf "$out" "$work"
    echo "the training run wrote no whole AOT cache (it has $training_limit s)"
    return 1
  fi
  rm -rf "$work"
  exec 9>"$dir/.lock"
  flock 9
  if install_cache "$out" "$out/app.jar" full; then
    log "recorded the full AOT cache of $script in $(since "$started") s"
  else
    log "dropped the full AOT cache of $script: a newer compile replaced the one it was recorded on"
  fi
  exec 9>&-
}

# Makes the compile current: runs it here (--prepare) or, for a node, detached with the
# lock handed over, then waits for it and for the short training after it. Sets java,
# main, classes and deps, and waited when this node waited for a build (which goes on
# to the full training).
ensure_compiled() {
  mkdir -p "$dir"
  exec 9>"$dir/.lock"
  waited=""
  if ! flock -n 9; then
    waited=1
    : >"$dir/waiting.$$"   # counted by the build, to tell whether a short training pays
    log "waiting for the build of $script (log: $dir/build.log)"
    flock 9
    rm -f "$dir/waiting.$$"
  fi
  if compiled; then exec 9>&-; return 0; fi
  waited=1
  if [ "${1:-}" = foreground ]; then
    log "compiling $script"
    compile || exit 1
    exec 9>&-
    return 0
  fi
  detach "$self" --build "$name"   # inherits fd 9, and the lock with it, until its compile and short training are done
  log "building $script (log: $dir/build.log); it goes on if this node is killed," \
    "and the next start uses it: run the test again, or wait with ./maelstrom.sh --prepare $name"
  exec 9>&-
  exec 9>"$dir/.lock"
  flock 9
  compiled || { tail -n 20 "$dir/build.log" >&2; log "the build of $script failed: $dir/build.log"; exit 1; }
  exec 9>&-
}

# How many nodes wait for the build: the one that started it, and every other that still
# runs (a node killed as it waited leaves its file, which this removes).
waiting_nodes() {
  local each count=1
  for each in "$dir"/waiting.*; do
    if [ -e "$each" ] && kill -0 "${each##*.}" 2>/dev/null; then count=$((count + 1)); else rm -f "$each"; fi
  done
  echo "$count"
}

# Starts the full training detached, at the lowest priority: nodes may be starting beside it.
detach_training() {
  detach nice -n 19 "$self" --train "$name"
}

[ $# -gt 0 ] || usage
case "$1" in
  -h | --help) usage ;;
  --prepare)
    shift
    [ $# -gt 0 ] || set -- $(workload_names)
    for each in "$@"; do
      locate_build "$each"
      ensure_compiled foreground
      train wait || { tail -n 20 "$dir/train.log" >&2; exit 1; }
    done
    exit 0 ;;
  --build)   # detached, holding the build lock on fd 9 (see ensure_compiled)
    locate_build "$2"
    exec >"$dir/build.log" 2>&1
    compile || exit 1
    [ "$(waiting_nodes)" -lt "$short_training_nodes" ] || record_short_cache || true
    exec 9>&-
    exec nice -n 19 "$self" --train "$name" >/dev/null 2>&1 ;;   # its log is train.log; build.log is the next build's
  --train)   # detached
    locate_build "$2"
    train detached
    exit ;;
esac

locate_build "$1"
shift
if compiled && trained; then
  [ -z "$hashed" ] || remember_mtimes
  # A short cache, which the full training replaces: start one in case none is under way
  # (one under way wins), unless it failed for this compile.
  [ "$kind" = full ] || [ "$dir/train.failed" -nt "$dir/stamp" ] || detach_training
  exec "$java" $jvm_flags -XX:AOTCache="$aot" -cp "$class_path" "$main" "$@"
fi
ensure_compiled
if trained; then
  [ "$kind" = full ] || log "starting $name with the AOT cache of its short training; the full one is" \
    "being recorded for later starts (./maelstrom.sh --prepare $name waits for it)"
  exec "$java" $jvm_flags -XX:AOTCache="$aot" -cp "$class_path" "$main" "$@"
fi
if [ "$dir/train.failed" -nt "$dir/stamp" ]; then
  log "starting $name without its AOT cache, whose training failed ($dir/train.log):" \
    "./maelstrom.sh --prepare $name tries again"
else
  log "starting $name without its AOT cache, which is being recorded for the next start" \
    "(./maelstrom.sh --prepare $name waits for it)"
  # A build this node waited for trains next; else start a training (one under way wins).
  [ -n "$waited" ] || detach_training
fi
exec "$java" $jvm_flags -cp "$classes${deps:+:$deps}" "$main" "$@"
