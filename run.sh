#!/usr/bin/env bash
# Runs one Gossip Glomers part with its official flags: under Maelstrom when
# `maelstrom` is on PATH, otherwise under our Maelstrom-compatible bench.
#
#   ./run.sh 3d                          the official 3d test
#   ./run.sh 3d --nemesis partition      extra flags, as Maelstrom's
#   ./run.sh 3e hub-batch=1000           node options, as name=value
#   BENCH=1 ./run.sh 3d                  the bench even where Maelstrom is installed
#
# It builds the node first (./maelstrom.sh --prepare), so that the first run starts
# every node from its AOT cache.
set -euo pipefail
cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")"

if [ $# -lt 1 ] || [[ $1 == -* ]]; then
  echo "usage: ./run.sh PART [FLAGS...] [name=value...]    PART: $(./jbang bench.java command | tr '\n' ' ')" >&2
  exit 2
fi
part=$1
shift

# Node options are name=value words (the only form Maelstrom passes to a node); the
# rest are the harness's flags.
flags=() node_options=()
for word in "$@"; do
  # The same rule as lib/Cli.java's maelstromForm.
  if [[ $word =~ ^[A-Za-z][A-Za-z0-9-]*= ]]; then node_options+=("$word"); else flags+=("$word"); fi
done

# The preset as Maelstrom's words, one a line: test -w W FLAGS... --bin ./maelstrom.sh NAME
mapfile -t words < <(./jbang bench.java command "$part")
[ ${#words[@]} -gt 0 ] || exit 2
./maelstrom.sh --prepare "${words[-1]}"

if command -v maelstrom >/dev/null && [ -z "${BENCH:-}" ]; then
  for ((bin_at = 0; bin_at < ${#words[@]}; bin_at++)); do [ "${words[bin_at]}" = --bin ] && break; done
  exec maelstrom "${words[@]:0:bin_at}" ${flags[@]+"${flags[@]}"} "${words[@]:bin_at}" \
    ${node_options[@]+"${node_options[@]}"}
fi
exec ./jbang bench.java test --challenge "$part" ${flags[@]+"${flags[@]}"} ${node_options[@]+"${node_options[@]}"}
