# Shared helpers of the benchmark scripts; sourced, not run.
# Expects the caller to have set: set -euo pipefail.

# A failure inside $(...) fails the assignment that uses it.
shopt -s inherit_errexit

# ROOT is the repository root (the parent of scripts/).
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

# WORK is this run's temp dir, removed on exit with every process started
# through start_bg.
WORK="$(mktemp -d "${TMPDIR:-/tmp}/feedrelay-bench.XXXXXX")"
BG_PIDS=()

cleanup() {
	local pid
	for pid in "${BG_PIDS[@]:-}"; do
		[[ -n "$pid" ]] || continue
		kill "$pid" 2>/dev/null || true
	done
	for pid in "${BG_PIDS[@]:-}"; do
		[[ -n "$pid" ]] || continue
		wait "$pid" 2>/dev/null || true
	done
	rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

log() { printf '== %s\n' "$*" >&2; }
die() { printf 'FAIL: %s\n' "$*" >&2; exit 1; }

# now_ns prints a monotonic-enough wall clock in nanoseconds.
now_ns() { date +%s%N; }

# elapsed_s START_NS prints seconds since START_NS with 3 decimals.
elapsed_s() { awk -v a="$1" -v b="$(now_ns)" 'BEGIN { printf "%.3f", (b - a) / 1e9 }'; }

# ratio A B prints A/B with 3 decimals.
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b == 0) print "inf"; else printf "%.3f", a / b }'; }

# seed_file prints the first seed post of ../shared/seeds, or nothing.
seed_file() {
	local f
	for f in "$ROOT"/../shared/seeds/*.txt; do
		[[ -f "$f" ]] && { printf '%s\n' "$f"; return; }
	done
}

# build_feedrelay builds the server into $WORK/feedrelay.
build_feedrelay() {
	log "building feedrelay"
	(cd "$ROOT" && go build -o "$WORK/feedrelay" ./cmd/feedrelay)
	FEEDRELAY="$WORK/feedrelay"
}

# gen_posts N DIR [extra genposts flags...]
gen_posts() {
	local n="$1" dir="$2"; shift 2
	local seed; seed="$(seed_file)"
	local args=(-n "$n" -out "$dir" "$@")
	[[ -n "$seed" ]] && args+=(-seed "$seed")
	log "generating $n posts${seed:+ from seed $(basename "$seed")} into $dir"
	(cd "$ROOT" && go build -o "$WORK/genposts" ./scripts/genposts)
	"$WORK/genposts" "${args[@]}"
}

# start_bg CMD... starts CMD in the background and remembers its pid in
# BG_LAST for cleanup.
start_bg() {
	"$@" &
	BG_LAST=$!
	BG_PIDS+=("$BG_LAST")
}

# wait_http URL [SECONDS] waits until URL answers at all.
wait_http() {
	local url="$1" limit="${2:-30}" i
	for ((i = 0; i < limit * 10; i++)); do
		curl -s -o /dev/null --max-time 1 "$url" && return 0
		sleep 0.1
	done
	die "$url did not answer within ${limit}s"
}

# port_free PORT fails if something listens on 127.0.0.1:PORT.
port_free() {
	if (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then
		die "port 127.0.0.1:$1 is already in use"
	fi
}

# proc_mem PID prints "VmHWM_kB VmRSS_kB" of a live process.
proc_mem() {
	awk '/^VmHWM:/ { h = $2 } /^VmRSS:/ { r = $2 } END { print h, r }' "/proc/$1/status"
}

# ensure_pkgs CMD:PKG... installs the Debian package of every missing command.
ensure_pkgs() {
	local want=() spec
	for spec in "$@"; do
		command -v "${spec%%:*}" >/dev/null 2>&1 || want+=("${spec#*:}")
	done
	((${#want[@]})) || return 0
	log "installing ${want[*]} with apt-get"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq >/dev/null
	apt-get install -y -qq --no-install-recommends "${want[@]}" >/dev/null
}
