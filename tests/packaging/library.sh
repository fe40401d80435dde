#!/usr/bin/env bash
# The sync core as a library: `cmake --install` into an empty prefix, examples/sync-source
# configured and built against it alone (find_package(OpenReSyncCore)), then run against the
# sample RESO server on loopback, syncing into SQLite; the rows must be there. A second run after
# the server is gone must fail with a non-zero exit, and an unknown source is a usage error.
#   library.sh SOURCE_DIR BUILD_DIR SAMPLE_SERVER
set -euo pipefail
SRC="$1" BUILD="$2" SERVER="$3"
WORK="$(mktemp -d)"
SERVER_PID=""
cleanup() {
    [ -z "$SERVER_PID" ] || kill "$SERVER_PID" 2>/dev/null || true
    rm -rf "$WORK"
}
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

cmake --install "$BUILD" --prefix "$WORK/prefix" --component dev >"$WORK/install.log" ||
    { cat "$WORK/install.log" >&2; fail "cmake --install"; }
[ -f "$WORK/prefix/include/openresync/processes/SyncProcess.h" ] || fail "headers not installed in their folders"
[ -f "$WORK/prefix/lib/cmake/OpenReSyncCore/OpenReSyncCoreConfigVersion.cmake" ] || fail "no version file"

GEN=()
command -v ninja >/dev/null && GEN=(-G Ninja)
cmake -S "$SRC/examples/sync-source" -B "$WORK/example" "${GEN[@]}" -DCMAKE_BUILD_TYPE=Release \
    -DCMAKE_PREFIX_PATH="$WORK/prefix" >"$WORK/configure.log" 2>&1 ||
    { cat "$WORK/configure.log" >&2; fail "configuring the example against the installed package"; }
cmake --build "$WORK/example" >"$WORK/build.log" 2>&1 || { cat "$WORK/build.log" >&2; fail "building the example"; }
EXAMPLE="$WORK/example/sync-source"

LISTINGS=250
"$SERVER" --listings "$LISTINGS" --port-file "$WORK/port" >"$WORK/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 100); do [ -s "$WORK/port" ] && break; sleep 0.1; done
[ -s "$WORK/port" ] || { cat "$WORK/server.log" >&2; fail "the sample server did not start"; }
cat >"$WORK/config.json" <<JSON
{
  "version": 1,
  "sources": [
    {
      "name": "mls",
      "platform": "generic",
      "serviceUrl": "http://127.0.0.1:$(cat "$WORK/port")/odata",
      "pageSize": 100,
      "resources": [ { "name": "Property" } ],
      "destinations": [ { "name": "local", "type": "sqlite", "path": "$WORK/mls.sqlite" } ]
    }
  ]
}
JSON

set +e
"$EXAMPLE" "$WORK/config.json" nosuch "$WORK/data" 2>"$WORK/unknown.err"
code=$?
set -e
[ "$code" = 2 ] || fail "an unknown source exited $code, not 2"

"$EXAMPLE" "$WORK/config.json" mls "$WORK/data" 2>"$WORK/sync.err" || { cat "$WORK/sync.err" >&2; fail "the sync failed"; }
cat "$WORK/sync.err"
grep -q "Property: downloading" "$WORK/sync.err" || fail "no progress on stderr"
rows="$(sqlite3 "$WORK/mls.sqlite" "SELECT COUNT(DISTINCT ListingKey) FROM Property")"
[ "$rows" = "$LISTINGS" ] || fail "$rows listings in SQLite, not $LISTINGS"

kill "$SERVER_PID"
wait "$SERVER_PID" 2>/dev/null || true
SERVER_PID=""
set +e
"$EXAMPLE" "$WORK/config.json" mls "$WORK/data" 2>"$WORK/down.err"
code=$?
set -e
[ "$code" != 0 ] || fail "a sync with the server gone exited 0"
echo "PASS: $rows listings synced by the example; exit $code with the server gone"
