#!/usr/bin/env bash
# memory.sh: feedrelay serve's memory with a large database.
#
#   scripts/memory.sh [--posts N] [--body-bytes B] [--categories K]
#                     [--duration SECONDS] [--import-timeout SECONDS]
#
# Generates N (default 100000) posts, seed-sized (~11 KB bodies) when
# /tmp has room for them (about 30 KB of disk per post for files, database
# and WAL), else --body-bytes 2500; --body-bytes picks a size outright.
# K (default 40) category hierarchies give about 70 categories, so every
# feed rendered once is more than the default 64 MiB feed cache holds and
# the cache budget is exercised. Imports them (reporting posts/s), starts
# feedrelay serve on 127.0.0.1:18184, reads its idle RSS as the same-run
# baseline, then requests:
#   - every category feed and the all-articles feed in rss, atom and json
#     (4 at a time), then all of them again (cached);
#   - ?limit=200 of the first 20 categories in all three formats, and a
#     few other limits;
#   - the index page, every category page, and 300 article pages;
#   - a short wrk run (default 5 s) on a category feed and on ?limit=200;
# and reports VmHWM (peak RSS) and VmRSS, against the idle baseline and
# the 150 MB target, with any non-200 answer and the slowest requests.
# Bounded: each step has a timeout; all traffic goes to 127.0.0.1.
# The server inherits the environment, so settings can be tried without
# flags here: GOMEMLIMIT=100MiB FEEDRELAY_FEED_CACHE_MB=32 scripts/memory.sh
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

POSTS=100000
BODY_BYTES=""
CATEGORIES=40
DURATION=5
IMPORT_TIMEOUT=900
PORT=18184
while (($#)); do
	case "$1" in
	--posts | --articles) POSTS="$2"; shift 2 ;;
	--body-bytes) BODY_BYTES="$2"; shift 2 ;;
	--categories) CATEGORIES="$2"; shift 2 ;;
	--duration) DURATION="$2"; shift 2 ;;
	--import-timeout) IMPORT_TIMEOUT="$2"; shift 2 ;;
	-h | --help) sed -n '2,25p' "$0"; exit 0 ;;
	*) die "unknown argument $1" ;;
	esac
done

ensure_pkgs wrk:wrk curl:curl
port_free "$PORT"
if [[ -z "$BODY_BYTES" ]]; then
	avail_kb="$(df -Pk "$WORK" | awk 'NR == 2 { print $4 }')"
	need_kb=$((POSTS * 30))
	if ((avail_kb > need_kb * 2)); then
		BODY_BYTES=0 # the seed's own size
		SIZE_NOTE="seed-sized bodies (~11 KB); $((avail_kb / 1024 / 1024)) GB free, ~$((need_kb / 1024)) MB needed"
	else
		BODY_BYTES=2500
		SIZE_NOTE="2.5 KB bodies: only $((avail_kb / 1024)) MB free, seed-sized would need ~$((need_kb / 1024)) MB"
	fi
else
	SIZE_NOTE="--body-bytes $BODY_BYTES"
fi
log "load average at start: $(cut -d' ' -f1-3 /proc/loadavg); $SIZE_NOTE"

build_feedrelay
t0="$(now_ns)"
gen_posts "$POSTS" "$WORK/posts" -categories "$CATEGORIES" -body-bytes "$BODY_BYTES"
GEN_S="$(elapsed_s "$t0")"
FILES_MB="$(du -sm "$WORK/posts" | cut -f1)"

log "importing $POSTS posts (timeout ${IMPORT_TIMEOUT}s)"
t0="$(now_ns)"
OUT="$(timeout "$IMPORT_TIMEOUT" "$FEEDRELAY" import --db "$WORK/mem.db" "$WORK/posts" 2>"$WORK/import.err")" ||
	{ tail -5 "$WORK/import.err" >&2; die "import failed or timed out: $OUT"; }
IMPORT_S="$(elapsed_s "$t0")"
[[ "$OUT" == "imported $POSTS, updated 0, unchanged 0, failed 0" ]] || die "import said: $OUT"
DB_MB="$(du -cm "$WORK/mem.db"* | tail -1 | cut -f1)"
log "$OUT in ${IMPORT_S}s; database ${DB_MB} MB"
# The posts are in the database now; free the disk before serving.
rm -rf "$WORK/posts"

BASE="http://127.0.0.1:$PORT"
start_bg "$FEEDRELAY" serve --db "$WORK/mem.db" --addr "127.0.0.1:$PORT" --base-url "$BASE" --log-level warn
PID="$BG_LAST"
wait_http "$BASE/healthz"
sleep 1
read -r IDLE_HWM IDLE_RSS < <(proc_mem "$PID")
log "idle after start: VmHWM $((IDLE_HWM / 1024)) MB, VmRSS $((IDLE_RSS / 1024)) MB"

# Category page URLs (ending in /), the all-articles one first.
curl -sf --max-time 30 "$BASE/categories.opml" >"$WORK/cats.opml"
grep -o 'htmlUrl="[^"]*"' "$WORK/cats.opml" | sed -e 's/^htmlUrl="//' -e 's/"$//' >"$WORK/pages.txt"
NCAT=$(($(wc -l <"$WORK/pages.txt") - 1))
((NCAT > 0)) || die "no categories in the OPML list"
log "$NCAT categories"

feeds() { while read -r u; do for f in rss atom json; do echo "${u}feed.$f"; done; done <"$WORK/pages.txt"; }

# fetch_all NAME PARALLEL: GET every URL on stdin, PARALLEL at a time (one
# curl, --parallel), gzip allowed; appends "code seconds bytes url" lines
# to $WORK/NAME.log.
fetch_all() {
	local name="$1" par="$2" u
	: >"$WORK/$name.curl"
	while read -r u; do printf 'url = "%s"\noutput = "/dev/null"\n' "$u"; done >>"$WORK/$name.curl"
	timeout 300 curl -s --no-progress-meter --compressed --max-time 60 --parallel --parallel-max "$par" -K "$WORK/$name.curl" \
		-w '%{http_code} %{time_total} %{size_download} %{url_effective}\n' >"$WORK/$name.log" || true
	local n bad
	n="$(wc -l <"$WORK/$name.log")"
	bad="$(awk '$1 != 200' "$WORK/$name.log" | wc -l)"
	log "$(printf '%-16s %5d requests, %d not 200, slowest %ss, median %ss, VmHWM %d MB' "$name" "$n" "$bad" \
		"$(sort -k2,2 -g "$WORK/$name.log" | tail -1 | cut -d' ' -f2)" \
		"$(sort -k2,2 -g "$WORK/$name.log" | awk '{ a[NR] = $2 } END { print a[int((NR + 1) / 2)] }')" \
		"$(($(proc_mem "$PID" | cut -d' ' -f1) / 1024))")"
	cat "$WORK/$name.log" >>"$WORK/all.log"
}

feeds | fetch_all feeds-first 4
feeds | fetch_all feeds-cached 4
{
	head -21 "$WORK/pages.txt" | while read -r u; do
		for f in rss atom json; do echo "${u}feed.$f?limit=200"; done
	done
	head -6 "$WORK/pages.txt" | while read -r u; do
		for l in 1 10 100 150 199; do echo "${u}feed.json?limit=$l"; done
	done
} | fetch_all limits 4
{ echo "$BASE/"; cat "$WORK/pages.txt"; } | fetch_all pages 4
curl -sf --max-time 30 "$BASE/feed.json?limit=200" | grep -o '"url":"[^"]*/articles/[^"]*"' |
	sed -e 's/^"url":"//' -e 's/"$//' >"$WORK/articles.txt"
# 300 articles: the newest 200 and 100 spread over the rest by key.
{
	cat "$WORK/articles.txt"
	for ((i = 0; i < 100; i++)); do
		n=$((i * POSTS / 100))
		printf '%s/articles/p%03d/post-%06d\n' "$BASE" $((n / 1000)) "$n"
	done
} | fetch_all articles 4

FEED="$(sed -n 2p "$WORK/pages.txt")feed.rss"
log "wrk -t2 -c64 -d${DURATION}s on $FEED and on ?limit=200"
for u in "$FEED" "$FEED?limit=200"; do
	timeout $((DURATION + 20)) wrk -t2 -c64 -d"${DURATION}s" -H 'Accept-Encoding: gzip' "$u" >"$WORK/wrk.txt"
	grep -q 'Non-2xx or 3xx\|Socket errors' "$WORK/wrk.txt" && { cat "$WORK/wrk.txt" >&2; die "wrk saw errors on $u"; }
	log "  $(awk '/^Requests\/sec:/ { print $2 }' "$WORK/wrk.txt") req/s on ${u#"$BASE"}"
done

read -r HWM RSS < <(proc_mem "$PID")
BAD="$(awk '$1 != 200' "$WORK/all.log" | wc -l)"
TOTAL="$(wc -l <"$WORK/all.log")"
verdict() { awk -v m="$1" 'BEGIN { print (m < 150 ? "meets" : "ABOVE") }'; }
cat <<EOF

memory test: $POSTS posts ($SIZE_NOTE), $NCAT categories
  files ${FILES_MB} MB generated in ${GEN_S}s; database ${DB_MB} MB
  import: ${IMPORT_S}s, $(awk -v n="$POSTS" -v s="$IMPORT_S" 'BEGIN { printf "%.0f", n / s }') posts/s
  requests: $TOTAL by curl ($BAD not 200), then 2 wrk runs of ${DURATION}s
  feedrelay serve memory:
    idle after start   VmHWM $((IDLE_HWM / 1024)) MB   VmRSS $((IDLE_RSS / 1024)) MB   (baseline)
    after everything   VmHWM $((HWM / 1024)) MB   VmRSS $((RSS / 1024)) MB   ($(verdict $((HWM / 1024))) the 150 MB target)
    peak / idle RSS    $(ratio "$HWM" "$IDLE_RSS")
  slowest requests (seconds, bytes):
$(sort -k2,2 -g "$WORK/all.log" | tail -5 | awk '{ printf "    %s %8.3f %9d %s\n", $1, $2, $3, $4 }')
EOF
if ((BAD > 0)); then
	echo "  non-200 answers:"
	awk '$1 != 200' "$WORK/all.log" | head -10 | sed 's/^/    /'
	exit 1
fi
