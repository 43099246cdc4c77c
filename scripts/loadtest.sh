#!/usr/bin/env bash
# loadtest.sh: feedrelay's cached-feed path against nginx serving the same
# bytes from disk, on loopback.
#
#   scripts/loadtest.sh [--duration SECONDS] [--posts N] [--connections C]
#                       [--threads T] [--feed rss|atom|json] [--nethttp]
#
# Installs nginx and wrk with apt-get if missing. Builds feedrelay,
# generates N (default 2000) seed-sized posts, imports them and serves them
# on 127.0.0.1:18181. Fetches the first category's feed gzip-encoded, puts
# those exact bytes where nginx (127.0.0.1:18182, gzip_static) serves them,
# checks with curl that both answer 200 with identical gzip bytes and 304
# to their own ETag, then runs the same wrk against both, alternating
# (feedrelay, nginx, feedrelay, nginx) and keeping each side's better run:
#   1. 200 with Accept-Encoding: gzip       (target feedrelay/nginx >= 0.8)
#   2. 304 with If-None-Match: <its ETag>    (target feedrelay/nginx >= 1.0)
# Besides requests/s it reports each server's CPU time per request (from
# /proc), which is steadier than requests/s on a shared machine, and at the
# end feedrelay's peak RSS (VmHWM). --nethttp adds a third server to every
# round: a bare Go net/http handler (scripts/prof bare, 127.0.0.1:18183)
# sending the same bytes and headers, which tells the cost of net/http from
# the cost of feedrelay's own code. With the default 10 s runs the script
# takes under two minutes (under three with --nethttp). All traffic stays
# on 127.0.0.1.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

DURATION=10
POSTS=2000
CONNS=64
THREADS=2
FORMAT=rss
FR_PORT=18181
NG_PORT=18182
BARE_PORT=18183
NETHTTP=0
while (($#)); do
	case "$1" in
	--duration) DURATION="$2"; shift 2 ;;
	--posts | --articles) POSTS="$2"; shift 2 ;;
	--connections) CONNS="$2"; shift 2 ;;
	--threads) THREADS="$2"; shift 2 ;;
	--feed) FORMAT="$2"; shift 2 ;;
	--nethttp) NETHTTP=1; shift ;;
	-h | --help) sed -n '2,24p' "$0"; exit 0 ;;
	*) die "unknown argument $1" ;;
	esac
done
[[ "$DURATION" =~ ^[0-9]+$ && "$DURATION" -ge 1 && "$DURATION" -le 60 ]] || die "--duration must be 1..60 seconds"

ensure_pkgs nginx:nginx wrk:wrk curl:curl
NGINX="$(command -v nginx)"
port_free "$FR_PORT"
port_free "$NG_PORT"
((NETHTTP)) && port_free "$BARE_PORT"
log "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"

build_feedrelay
gen_posts "$POSTS" "$WORK/posts"
log "importing"
"$FEEDRELAY" import --db "$WORK/fr.db" "$WORK/posts"

FR="http://127.0.0.1:$FR_PORT"
NG="http://127.0.0.1:$NG_PORT"
start_bg "$FEEDRELAY" serve --db "$WORK/fr.db" --addr "127.0.0.1:$FR_PORT" --base-url "$FR" --log-level warn
FR_PID="$BG_LAST"
wait_http "$FR/healthz"

# The first category of the OPML list (the list's first outline is the
# all-articles feed).
CAT_PATH="$(curl -sf "$FR/categories.opml" | grep -o 'xmlUrl="[^"]*/categories/[^"]*"' | head -1 |
	sed -e 's/^xmlUrl="//' -e 's/"$//' -e "s#^$FR##" -e "s#feed\.atom\$#feed.$FORMAT#")"
[[ -n "$CAT_PATH" ]] || die "no category in $FR/categories.opml"
log "feed under test: $CAT_PATH"

# status URL OUT HDRS [curl args...]: fetch and print the status code.
fetch() {
	local url="$1" out="$2" hdrs="$3"; shift 3
	curl -s --max-time 10 -o "$out" -D "$hdrs" -w '%{http_code}' "$@" "$url"
}
header() { grep -i "^$1:" "$2" | head -1 | cut -d' ' -f2- | tr -d '\r'; }

code="$(fetch "$FR$CAT_PATH" "$WORK/fr.gz" "$WORK/fr.hdr" -H 'Accept-Encoding: gzip')"
[[ "$code" == 200 ]] || die "feedrelay answered $code for $CAT_PATH"
[[ "$(header Content-Encoding "$WORK/fr.hdr")" == gzip ]] || die "feedrelay did not gzip the feed: $(cat "$WORK/fr.hdr")"
FR_ETAG="$(header ETag "$WORK/fr.hdr")"
[[ -n "$FR_ETAG" ]] || die "feedrelay sent no ETag"
gzip -t "$WORK/fr.gz" || die "feedrelay's gzip body does not decompress"
# The identity form must be the same document.
code="$(fetch "$FR$CAT_PATH" "$WORK/fr.plain" "$WORK/fr-plain.hdr")"
[[ "$code" == 200 ]] || die "feedrelay answered $code without Accept-Encoding"
cmp -s <(gzip -dc "$WORK/fr.gz") "$WORK/fr.plain" || die "gzip and identity bodies of feedrelay differ"
log "feedrelay: 200, $(stat -c %s "$WORK/fr.gz") gzip bytes ($(stat -c %s "$WORK/fr.plain") identity), ETag $FR_ETAG"

# nginx serves the same gzip bytes as a precompressed file.
# nginx maps the URL to a file after percent-decoding it.
CAT_FILE="$WORK/www$(printf '%b' "${CAT_PATH//%/\\x}")"
mkdir -p "$(dirname "$CAT_FILE")" "$WORK/nginx"
cp "$WORK/fr.gz" "$CAT_FILE.gz"
chmod -R a+rX "$WORK"
case "$FORMAT" in
rss) CT=application/rss+xml ;;
atom) CT=application/atom+xml ;;
json) CT=application/feed+json ;;
*) die "--feed must be rss, atom or json" ;;
esac
cat >"$WORK/nginx/nginx.conf" <<EOF
worker_processes auto;
daemon off;
pid $WORK/nginx/nginx.pid;
error_log $WORK/nginx/error.log warn;
events { worker_connections 4096; }
http {
    access_log off;
    sendfile on;
    tcp_nopush on;
    tcp_nodelay on;
    keepalive_timeout 65;
    keepalive_requests 100000000;
    client_body_temp_path $WORK/nginx/body;
    proxy_temp_path $WORK/nginx/proxy;
    fastcgi_temp_path $WORK/nginx/fastcgi;
    uwsgi_temp_path $WORK/nginx/uwsgi;
    scgi_temp_path $WORK/nginx/scgi;
    types { }
    default_type "$CT; charset=utf-8";
    server {
        listen 127.0.0.1:$NG_PORT;
        root $WORK/www;
        location = /healthz { return 200 "ok\n"; }
        location / {
            gzip_static on;
            gzip_vary on;
            etag on;
            add_header Cache-Control "public, max-age=300";
        }
    }
}
EOF
start_bg "$NGINX" -e "$WORK/nginx/error.log" -c "$WORK/nginx/nginx.conf" -p "$WORK/nginx"
NG_PID="$BG_LAST"
wait_http "$NG/healthz"

code="$(fetch "$NG$CAT_PATH" "$WORK/ng.gz" "$WORK/ng.hdr" -H 'Accept-Encoding: gzip')"
[[ "$code" == 200 ]] || die "nginx answered $code for $CAT_PATH: $(cat "$WORK/nginx/error.log")"
[[ "$(header Content-Encoding "$WORK/ng.hdr")" == gzip ]] || die "nginx did not send Content-Encoding: gzip"
cmp -s "$WORK/fr.gz" "$WORK/ng.gz" || die "nginx's body differs from feedrelay's gzip bytes"
NG_ETAG="$(header ETag "$WORK/ng.hdr")"
[[ -n "$NG_ETAG" ]] || die "nginx sent no ETag"
log "nginx: 200, identical gzip bytes, ETag $NG_ETAG"

for side in fr ng; do
	if [[ $side == fr ]]; then url="$FR$CAT_PATH" tag="$FR_ETAG"; else url="$NG$CAT_PATH" tag="$NG_ETAG"; fi
	code="$(fetch "$url" "$WORK/$side.304" "$WORK/$side-304.hdr" -H 'Accept-Encoding: gzip' -H "If-None-Match: $tag")"
	[[ "$code" == 304 ]] || die "$side answered $code, not 304, to If-None-Match: $tag"
	[[ ! -s "$WORK/$side.304" ]] || die "$side sent a body with its 304"
done
log "both answer 304 to their own ETag"

BARE="http://127.0.0.1:$BARE_PORT"
if ((NETHTTP)); then
	(cd "$ROOT" && go build -o "$WORK/prof" ./scripts/prof)
	start_bg "$WORK/prof" bare -file "$WORK/fr.gz" -etag "$FR_ETAG" -content-type "$(header Content-Type "$WORK/fr.hdr")" \
		-addr "127.0.0.1:$BARE_PORT"
	BARE_PID="$BG_LAST"
	wait_http "$BARE/"
	code="$(fetch "$BARE$CAT_PATH" "$WORK/bare.gz" "$WORK/bare.hdr" -H 'Accept-Encoding: gzip')"
	[[ "$code" == 200 ]] && cmp -s "$WORK/fr.gz" "$WORK/bare.gz" || die "bare net/http server: $code or different bytes"
	code="$(fetch "$BARE$CAT_PATH" "$WORK/bare.304" "$WORK/bare-304.hdr" -H "If-None-Match: $FR_ETAG")"
	[[ "$code" == 304 ]] || die "bare net/http server answered $code to If-None-Match"
	log "bare net/http: 200 with identical bytes, 304 to feedrelay's ETag"
fi

# cpu_ticks PID: utime+stime of PID and its direct children (nginx workers).
cpu_ticks() {
	local root="$1" total=0 f fields
	for f in /proc/[0-9]*/stat; do
		read -r -a fields 2>/dev/null <"$f" || continue
		# Fields after "(comm)"; comm has no spaces for both servers here.
		if [[ "${fields[0]}" == "$root" || "${fields[3]}" == "$root" ]]; then
			total=$((total + fields[13] + fields[14]))
		fi
	done
	echo "$total"
}
HZ="$(getconf CLK_TCK)"

# bench NAME PID URL [wrk -H args...]: one wrk run; prints "rps cpu_us_per_req".
bench() {
	local name="$1" pid="$2" url="$3"; shift 3
	local out="$WORK/wrk-${name//\//_}-$RANDOM.txt" c0 c1 rps reqs lat
	c0="$(cpu_ticks "$pid")"
	timeout $((DURATION + 20)) wrk -t"$THREADS" -c"$CONNS" -d"${DURATION}s" --latency "$@" "$url" >"$out"
	c1="$(cpu_ticks "$pid")"
	if grep -q 'Non-2xx or 3xx\|Socket errors' "$out"; then
		cat "$out" >&2
		die "wrk against $name saw errors or unexpected statuses"
	fi
	rps="$(awk '/^Requests\/sec:/ { print $2 }' "$out")"
	reqs="$(awk '/requests in/ { print $1 }' "$out")"
	[[ -n "$rps" && "${reqs:-0}" -gt 0 ]] || { cat "$out" >&2; die "no result from wrk against $name"; }
	lat="$(awk '/^    Latency/ { print $2 }' "$out")"
	log "$(printf '%-9s %10s req/s  latency avg %-8s %s' "$name" "$rps" "$lat" "$*")"
	awk -v r="$rps" -v n="$reqs" -v t=$((c1 - c0)) -v hz="$HZ" 'BEGIN { printf "%s %.1f\n", r, t / hz * 1e6 / n }'
}

# best LINES...: the run with the higher req/s.
best() { printf '%s\n' "$@" | sort -k1,1 -g | tail -1; }

log "warm-up (2 s each, not counted)"
wrk -t"$THREADS" -c"$CONNS" -d2s -H 'Accept-Encoding: gzip' "$FR$CAT_PATH" >/dev/null
wrk -t"$THREADS" -c"$CONNS" -d2s -H 'Accept-Encoding: gzip' "$NG$CAT_PATH" >/dev/null
if ((NETHTTP)); then wrk -t"$THREADS" -c"$CONNS" -d2s -H 'Accept-Encoding: gzip' "$BARE$CAT_PATH" >/dev/null; fi

log "200 path: wrk -t$THREADS -c$CONNS -d${DURATION}s -H 'Accept-Encoding: gzip', alternating"
A1="$(bench feedrelay "$FR_PID" "$FR$CAT_PATH" -H 'Accept-Encoding: gzip')"
B1="$(bench nginx "$NG_PID" "$NG$CAT_PATH" -H 'Accept-Encoding: gzip')"
if ((NETHTTP)); then C1="$(bench net/http "$BARE_PID" "$BARE$CAT_PATH" -H 'Accept-Encoding: gzip')"; fi
A2="$(bench feedrelay "$FR_PID" "$FR$CAT_PATH" -H 'Accept-Encoding: gzip')"
B2="$(bench nginx "$NG_PID" "$NG$CAT_PATH" -H 'Accept-Encoding: gzip')"
if ((NETHTTP)); then C2="$(bench net/http "$BARE_PID" "$BARE$CAT_PATH" -H 'Accept-Encoding: gzip')"; fi
FR200="$(best "$A1" "$A2")"
NG200="$(best "$B1" "$B2")"
if ((NETHTTP)); then BA200="$(best "$C1" "$C2")"; fi

log "304 path: the same wrk with If-None-Match: <each server's ETag>, alternating"
A1="$(bench feedrelay "$FR_PID" "$FR$CAT_PATH" -H 'Accept-Encoding: gzip' -H "If-None-Match: $FR_ETAG")"
B1="$(bench nginx "$NG_PID" "$NG$CAT_PATH" -H 'Accept-Encoding: gzip' -H "If-None-Match: $NG_ETAG")"
if ((NETHTTP)); then C1="$(bench net/http "$BARE_PID" "$BARE$CAT_PATH" -H 'Accept-Encoding: gzip' -H "If-None-Match: $FR_ETAG")"; fi
A2="$(bench feedrelay "$FR_PID" "$FR$CAT_PATH" -H 'Accept-Encoding: gzip' -H "If-None-Match: $FR_ETAG")"
B2="$(bench nginx "$NG_PID" "$NG$CAT_PATH" -H 'Accept-Encoding: gzip' -H "If-None-Match: $NG_ETAG")"
if ((NETHTTP)); then C2="$(bench net/http "$BARE_PID" "$BARE$CAT_PATH" -H 'Accept-Encoding: gzip' -H "If-None-Match: $FR_ETAG")"; fi
FR304="$(best "$A1" "$A2")"
NG304="$(best "$B1" "$B2")"
if ((NETHTTP)); then BA304="$(best "$C1" "$C2")"; fi

read -r FR_HWM FR_RSS < <(proc_mem "$FR_PID")
# A last check that the cached feed is still served right after the load.
code="$(fetch "$FR$CAT_PATH" "$WORK/fr-after.gz" "$WORK/fr-after.hdr" -H 'Accept-Encoding: gzip')"
[[ "$code" == 200 ]] && cmp -s "$WORK/fr.gz" "$WORK/fr-after.gz" || die "feedrelay's feed changed or failed after the load ($code)"

verdict() { awk -v r="$1" -v t="$2" 'BEGIN { print (r >= t ? "meets" : "BELOW") }'; }
R200="$(ratio "${FR200% *}" "${NG200% *}")"
R304="$(ratio "${FR304% *}" "${NG304% *}")"
cat <<EOF

load test: $POSTS posts, feed $CAT_PATH ($(stat -c %s "$WORK/fr.gz") gzip bytes),
wrk -t$THREADS -c$CONNS -d${DURATION}s, best of 2 alternating runs, $(nproc) cores shared by wrk and the server,
load average now $(cut -d' ' -f1-3 /proc/loadavg)
                         feedrelay        nginx     feedrelay/nginx
  200 gzip   req/s    $(printf '%10s   %10s' "${FR200% *}" "${NG200% *}")     $R200  ($(verdict "$R200" 0.8) the 0.8 target)
             CPU µs/req $(printf '%8s   %10s' "${FR200#* }" "${NG200#* }")     $(ratio "${FR200#* }" "${NG200#* }")  (server CPU per request; lower is better)
  304        req/s    $(printf '%10s   %10s' "${FR304% *}" "${NG304% *}")     $R304  ($(verdict "$R304" 1.0) the 1.0 target)
             CPU µs/req $(printf '%8s   %10s' "${FR304#* }" "${NG304#* }")     $(ratio "${FR304#* }" "${NG304#* }")
  feedrelay memory: VmHWM $((FR_HWM / 1024)) MB (peak RSS), VmRSS $((FR_RSS / 1024)) MB now
EOF
if ((NETHTTP)); then
	cat <<EOF
  bare net/http (same bytes and headers, no router or middleware):
  200 gzip   req/s    $(printf '%10s' "${BA200% *}")   net/http/nginx $(ratio "${BA200% *}" "${NG200% *}")   feedrelay/net/http $(ratio "${FR200% *}" "${BA200% *}")
             CPU µs/req $(printf '%8s' "${BA200#* }")   feedrelay/net/http $(ratio "${FR200#* }" "${BA200#* }")
  304        req/s    $(printf '%10s' "${BA304% *}")   net/http/nginx $(ratio "${BA304% *}" "${NG304% *}")   feedrelay/net/http $(ratio "${FR304% *}" "${BA304% *}")
             CPU µs/req $(printf '%8s' "${BA304#* }")   feedrelay/net/http $(ratio "${FR304#* }" "${BA304#* }")
EOF
fi
