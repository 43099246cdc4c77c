#!/usr/bin/env bash
# bench-relay.sh: relay delivery at scale, against a local receiver.
#
#   scripts/bench-relay.sh [--targets N] [--articles N] [--concurrency N]
#
# Starts one webhook receiver process on 127.0.0.1 and, in another
# process, stores N (default 1000) generic-webhook relay targets with rate
# limits lifted, then 100 new articles (100,000 deliveries, queued in the
# articles' own transaction), and runs the real delivery worker until the
# receiver has acknowledged every one and the store has recorded them.
# Reports deliveries per second, distinct delivery ids seen by the
# receiver, duplicates, and peak resident memory of the worker process.
# The same-run baseline is a plain loop POSTing as many requests to the
# same receiver with the same concurrency and no store.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

ARGS=()
while (($#)); do
	case "$1" in
	--targets | --articles | --concurrency) ARGS+=("-${1#--}" "$2"); shift 2 ;;
	-h | --help) sed -n '2,14p' "$0"; exit 0 ;;
	*) die "unknown argument $1" ;;
	esac
done

log "building the benchmark"
(cd "$ROOT" && go build -o "$WORK/benchrelay" ./scripts/benchrelay)
"$WORK/benchrelay" -receiver >"$WORK/receiver.log" 2>&1 &
BG_PIDS+=($!)
for _ in $(seq 50); do grep -q ready "$WORK/receiver.log" 2>/dev/null && break; sleep 0.1; done
grep -q ready "$WORK/receiver.log" || die "receiver did not start: $(cat "$WORK/receiver.log")"
log "delivering"
timeout 900 "$WORK/benchrelay" -dir "$WORK" "${ARGS[@]}"
