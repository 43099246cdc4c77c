#!/usr/bin/env bash
# bench-import.sh: import speed of `feedrelay import` on seed-sized posts.
#
#   scripts/bench-import.sh [--posts N] [--timeout SECONDS]
#
# Builds feedrelay, generates N (default 10000) posts of the seed's size
# (~11 KB body) in a temp dir, imports them into a fresh database and
# reports posts/s, then imports the same files again (all unchanged) and
# reports that rate. The same-run baseline is reading every file once
# (find -exec cat > /dev/null), so the figures are also printed as ratios
# against it: absolute rates on a shared machine are noise. All files are
# in the page cache for both (they were just written), so the baseline is
# the cost of reading the bytes, not of the disk.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

POSTS=10000
TIMEOUT=300
while (($#)); do
	case "$1" in
	--posts) POSTS="$2"; shift 2 ;;
	--timeout) TIMEOUT="$2"; shift 2 ;;
	-h | --help) sed -n '2,13p' "$0"; exit 0 ;;
	*) die "unknown argument $1" ;;
	esac
done

build_feedrelay
gen_posts "$POSTS" "$WORK/posts"
DB="$WORK/bench.db"
FILE_MB="$(du -sm "$WORK/posts" | cut -f1)"

log "baseline: reading every file (find -exec cat)"
t0="$(now_ns)"
find "$WORK/posts" -type f -name '*.md' -exec cat {} + >/dev/null
CAT_S="$(elapsed_s "$t0")"

log "first import into a fresh database"
t0="$(now_ns)"
OUT1="$(timeout "$TIMEOUT" "$FEEDRELAY" import --db "$DB" "$WORK/posts" 2>"$WORK/import1.err")" ||
	{ cat "$WORK/import1.err" >&2; die "first import failed: $OUT1"; }
IMP1_S="$(elapsed_s "$t0")"
[[ "$OUT1" == "imported $POSTS, updated 0, unchanged 0, failed 0" ]] ||
	die "first import said: $OUT1 (want imported $POSTS, …, failed 0)"

log "second import of the same files (all unchanged)"
t0="$(now_ns)"
OUT2="$(timeout "$TIMEOUT" "$FEEDRELAY" import --db "$DB" "$WORK/posts" 2>"$WORK/import2.err")" ||
	{ cat "$WORK/import2.err" >&2; die "second import failed: $OUT2"; }
IMP2_S="$(elapsed_s "$t0")"
[[ "$OUT2" == "imported 0, updated 0, unchanged $POSTS, failed 0" ]] ||
	die "second import said: $OUT2 (want unchanged $POSTS)"

DB_MB="$(du -cm "$DB"* | tail -1 | cut -f1)"
rate() { awk -v n="$POSTS" -v s="$1" 'BEGIN { printf "%.0f", n / s }'; }
CAT_RATE="$(rate "$CAT_S")"
R1="$(rate "$IMP1_S")"
R2="$(rate "$IMP2_S")"
verdict() { awk -v r="$1" 'BEGIN { print (r >= 2000 ? "meets" : "BELOW") }'; }

cat <<EOF

import benchmark: $POSTS posts, ${FILE_MB} MB of files, database ${DB_MB} MB, $(nproc) cores
  baseline read (cat)      ${CAT_S}s   ${CAT_RATE} posts/s
  first import (new)       ${IMP1_S}s   ${R1} posts/s   ($(verdict "$R1") the 2000 posts/s target)
                           $OUT1
  second import (same)     ${IMP2_S}s   ${R2} posts/s   ($(verdict "$R2") the 2000 posts/s target)
                           $OUT2
  ratios against the read baseline (rate / cat rate):
    first import  $(ratio "$R1" "$CAT_RATE")   (import takes $(ratio "$IMP1_S" "$CAT_S")x the time of reading the files)
    second import $(ratio "$R2" "$CAT_RATE")   (import takes $(ratio "$IMP2_S" "$CAT_S")x the time of reading the files)
  second import / first import rate: $(ratio "$R2" "$R1")
EOF
