#!/usr/bin/env bash
# Runs one Gossip Glomers part with its official flags: under Maelstrom when
# `maelstrom` is on PATH, otherwise under our Maelstrom-compatible bench.
#
#   ./run.sh 3d                          the official 3d test
#   ./run.sh 3d --nemesis partition      extra flags go in front of --bin
#   BENCH=1 ./run.sh 3d                  the bench even where Maelstrom is installed
#
# It builds the node first (./maelstrom.sh --prepare), so that no node builds while
# the others wait out init's ten seconds.
set -euo pipefail
cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")"

if [ $# -lt 1 ] || [[ $1 == -* ]]; then
  echo "usage: ./run.sh PART [FLAGS...]    PART: 1 2 3a 3b 3c 3d 3e 4 5a 5b 5c 6a 6b 6c" >&2
  exit 2
fi
part=$1
shift

# The preset as Maelstrom's words, one a line: test -w W FLAGS... --bin ./maelstrom.sh NAME
mapfile -t words < <(./jbang bench.java command "$part")
[ ${#words[@]} -gt 0 ] || exit 2
./maelstrom.sh --prepare "${words[-1]}"

if command -v maelstrom >/dev/null && [ -z "${BENCH:-}" ]; then
  bin_at=$((${#words[@]} - 3))
  exec maelstrom "${words[@]:0:bin_at}" "$@" "${words[@]:bin_at}"
fi
exec ./jbang bench.java test --challenge "$part" "$@"
