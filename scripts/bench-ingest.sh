#!/usr/bin/env bash
# bench-ingest.sh: upstream polling at scale, against local upstreams.
#
#   scripts/bench-ingest.sh [--sources N] [--items N] [--latency D] [--concurrency N]
#
# Starts one upstream process serving N (default 1000) RSS feeds of 20
# items on ten loopback addresses (127.0.0.11-20), each answering after
# 50 ms and honouring If-None-Match with a 304. Then polls every source
# with the real poller (default concurrency 8, 2 per host) twice: the
# first poll stores every item, the second is all 304s. Each is reported
# against the ideal, sources x latency / concurrency. Peak resident memory
# of the polling process is reported too, and a sequential gofeed loop
# over the same feeds (fetch + parse, no store) is the same-run baseline.
# Targets (issue 4): both polls within 1.5x of ideal, peak RSS < 200 MB.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

ARGS=()
while (($#)); do
	case "$1" in
	--sources | --items | --latency | --concurrency) ARGS+=("-${1#--}" "$2"); shift 2 ;;
	-h | --help) sed -n '2,14p' "$0"; exit 0 ;;
	*) die "unknown argument $1" ;;
	esac
done

log "building the benchmark"
(cd "$ROOT" && go build -o "$WORK/benchingest" ./scripts/benchingest)
"$WORK/benchingest" -upstreams "${ARGS[@]}" >"$WORK/upstreams.log" 2>&1 &
BG_PIDS+=($!)
for _ in $(seq 50); do grep -q ready "$WORK/upstreams.log" 2>/dev/null && break; sleep 0.1; done
grep -q ready "$WORK/upstreams.log" || die "upstreams did not start: $(cat "$WORK/upstreams.log")"
log "polling"
timeout 600 "$WORK/benchingest" -dir "$WORK" "${ARGS[@]}"
