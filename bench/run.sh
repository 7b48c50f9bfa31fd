#!/usr/bin/env bash
# Benchmarks the ACME challenge path on loopback: the starter against Spring's static resource
# handler, a naive controller, a constant-writing filter and nginx; the starter's cost to other
# requests; startup time and memory; and how soon a new token file is served. Prints a Markdown
# report and writes it to bench/results/latest.md.
#
# Usage: bench/run.sh [--smoke] [--rounds N] [--duration SECONDS]
#   --smoke     one short round of everything, to check that the harness works (used by CI)
#   --rounds    measured rounds per variant, interleaved (default 3)
#   --duration  seconds per wrk run (default 10)
# Needs: a JDK 17, wrk, nginx, curl, python3 (Debian packages wrk, nginx-light, curl, python3).
set -euo pipefail

rounds=3
duration=10
warmup=10
startup_runs=10
staleness_runs=20
connections=16
while [[ $# -gt 0 ]]; do
	case "$1" in
		--smoke) rounds=1; duration=1; warmup=1; startup_runs=1; staleness_runs=3; shift ;;
		--rounds) rounds=$2; shift 2 ;;
		--duration) duration=$2; shift 2 ;;
		*) echo "Unknown option: $1 (see the usage at the top of $0)" >&2; exit 2 ;;
	esac
done

repo=$(cd "$(dirname "$0")/.." && pwd)
jar=$(ls "$repo"/bench/target/acme-challenge-bench-*.jar 2>/dev/null | grep -v '\.original$' | head -n 1 || true)
if [[ -z "$jar" ]]; then
	echo "Building the benchmark application"
	(cd "$repo" && ./mvnw -q -B -DskipTests package -pl bench -am)
	jar=$(ls "$repo"/bench/target/acme-challenge-bench-*.jar | grep -v '\.original$' | head -n 1)
fi
for tool in wrk nginx curl python3 java; do
	command -v "$tool" >/dev/null || { echo "Missing $tool: install it (apt-get install -y wrk nginx-light curl python3)" >&2; exit 1; }
done

work=$(mktemp -d /tmp/acme-bench.XXXXXX)
chmod 755 "$work"  # nginx worker processes run unprivileged and must read the web root
webroot="$work/webroot"
mkdir -p "$webroot/.well-known/acme-challenge"
chmod -R 755 "$webroot"
token="BenchToken_0123456789abcdefghijklmnopqrstuv"
key_authorization="$token.BenchThumbprint_0123456789abcdefghijklmnopq"
printf '%s' "$key_authorization" > "$webroot/.well-known/acme-challenge/$token"
chmod 644 "$webroot/.well-known/acme-challenge/$token"
challenge_path="/.well-known/acme-challenge/$token"

pids=()
cleanup() {
	for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
	for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
	rm -rf "$work"
}
trap cleanup EXIT

free_port() {
	python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

wait_for_http() {
	local url=$1 deadline=$((SECONDS + 60))
	until curl -s -o /dev/null "$url"; do
		if (( SECONDS > deadline )); then echo "Timed out waiting for $url" >&2; return 1; fi
		sleep 0.2
	done
}

jvm_options=(-Xms256m -Xmx256m)

start_app() {
	local name=$1 port=$2; shift 2
	java "${jvm_options[@]}" -jar "$jar" --server.address=127.0.0.1 --server.port="$port" \
		--logging.level.root=WARN "$@" > "$work/$name.log" 2>&1 &
	pids+=($!)
	wait_for_http "http://127.0.0.1:$port/page"
}

# --- servers ---------------------------------------------------------------------------------
declare -A port
for variant in starter static naive constant disabled nginx; do port[$variant]=$(free_port); done

start_app starter "${port[starter]}" --acme.webroot="$webroot" --acme.self-check.enabled=false
start_app static "${port[static]}" --spring.web.resources.static-locations="file:$webroot/"
start_app naive "${port[naive]}" --bench.naive-controller=true --bench.webroot="$webroot"
start_app constant "${port[constant]}" --bench.constant-filter=true --bench.webroot="$webroot" --bench.token="$token"
start_app disabled "${port[disabled]}"

cat > "$work/nginx.conf" <<NGINX
daemon off;
worker_processes auto;
pid $work/nginx.pid;
error_log $work/nginx-error.log;
events { worker_connections 1024; }
http {
	access_log off;
	default_type text/plain;
	server {
		listen 127.0.0.1:${port[nginx]};
		root $webroot;
		location /.well-known/acme-challenge/ { }
	}
}
NGINX
nginx -c "$work/nginx.conf" -p "$work" &
pids+=($!)
wait_for_http "http://127.0.0.1:${port[nginx]}$challenge_path"

for variant in starter static naive constant nginx; do
	body=$(curl -s "http://127.0.0.1:${port[$variant]}$challenge_path")
	if [[ "$body" != "$key_authorization" ]]; then
		echo "Variant $variant did not return the key authorization: [$body]" >&2
		exit 1
	fi
done

# --- wrk -------------------------------------------------------------------------------------
# Prints "requests_per_second p50_ms p99_ms" for one wrk run.
run_wrk() {
	local url=$1 seconds=$2
	wrk -t1 -c"$connections" -d"${seconds}s" --latency "$url" | awk '
		function ms(value) {
			if (value ~ /us$/) return substr(value, 1, length(value) - 2) / 1000
			if (value ~ /ms$/) return substr(value, 1, length(value) - 2) + 0
			if (value ~ /s$/) return substr(value, 1, length(value) - 1) * 1000
			return value
		}
		/^ +50%/ { p50 = ms($2) }
		/^ +99%/ { p99 = ms($2) }
		/^Requests\/sec:/ { rps = $2 }
		/Non-2xx or 3xx responses/ { bad = $NF }
		END { if (bad > 0) { print "non-2xx responses: " bad > "/dev/stderr"; exit 1 } printf "%.0f %.3f %.3f\n", rps, p50, p99 }'
}

median() {
	sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

declare -A results
measure_interleaved() {
	local label=$1 path=$2; shift 2
	local variants=("$@")
	for variant in "${variants[@]}"; do
		run_wrk "http://127.0.0.1:${port[$variant]}$path" "$warmup" > /dev/null
	done
	for ((round = 1; round <= rounds; round++)); do
		# Rotate the order each round so that drift in machine load hits every variant alike.
		local count=${#variants[@]}
		for ((i = 0; i < count; i++)); do
			local variant=${variants[$(((i + round - 1) % count))]}
			results["$label/$variant"]+="$(run_wrk "http://127.0.0.1:${port[$variant]}$path" "$duration")"$'\n'
		done
	done
}

column_median() {
	local key=$1 column=$2
	printf '%s' "${results[$key]}" | awk -v c="$column" 'NF { print $c }' | median
}

echo "Measuring challenge requests: $rounds rounds of ${duration}s per variant"
measure_interleaved challenge "$challenge_path" starter static naive constant nginx
echo "Measuring a normal page with the starter enabled and disabled"
measure_interleaved page /page starter disabled

# --- startup -----------------------------------------------------------------------------------
# Prints "started_ms rss_mb heap_used_mb" for one start of the application.
measure_startup() {
	local startup_port log pid started rss heap deadline
	startup_port=$(free_port)
	log="$work/startup-$RANDOM.log"
	java "${jvm_options[@]}" -jar "$jar" --server.address=127.0.0.1 --server.port="$startup_port" "$@" > "$log" 2>&1 &
	pid=$!
	deadline=$((SECONDS + 60))
	until grep -qs 'Started BenchApplication in' "$log"; do
		if (( SECONDS > deadline )) || ! kill -0 "$pid" 2>/dev/null; then echo "Startup failed, see $log" >&2; cat "$log" >&2; exit 1; fi
		sleep 0.05
	done
	started=$(sed -n 's/.*Started BenchApplication in \([0-9.]*\) seconds.*/\1/p' "$log" | head -n 1)
	rss=$(awk '/^VmRSS:/ { printf "%.1f", $2 / 1024 }' "/proc/$pid/status")
	heap=$(jcmd "$pid" GC.heap_info 2>/dev/null | awk '/used/ { for (i = 1; i <= NF; i++) if ($i == "used") { v = $(i + 1); sub(/K,?$/, "", v); printf "%.1f", v / 1024; exit } }')
	kill "$pid"; wait "$pid" 2>/dev/null || true
	echo "$(awk -v s="$started" 'BEGIN { printf "%.0f", s * 1000 }') $rss ${heap:-0}"
}

echo "Measuring startup: $startup_runs runs per variant, interleaved"
declare -A startup
for ((run = 1; run <= startup_runs; run++)); do
	# The self-check stays on, as by default: it runs after "Started" but shares the cores.
	startup[enabled]+="$(measure_startup --acme.webroot="$webroot")"$'\n'
	startup[disabled]+="$(measure_startup)"$'\n'
done
startup_median() {
	printf '%s' "${startup[$1]}" | awk -v c="$2" 'NF { print $c }' | median
}

# --- staleness ---------------------------------------------------------------------------------
echo "Measuring staleness: $staleness_runs new token files"
staleness=$(python3 - "$webroot/.well-known/acme-challenge" "${port[starter]}" "$staleness_runs" <<'PYTHON'
import os, secrets, sys, time, urllib.request, urllib.error
directory, port, runs = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
delays, attempts_max = [], 0
for _ in range(runs):
    token = secrets.token_urlsafe(32)
    path = os.path.join(directory, token)
    with open(path, "w") as f:
        f.write(token + ".thumbprint")
    created = time.perf_counter()
    attempts = 0
    while True:
        attempts += 1
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/.well-known/acme-challenge/{token}", timeout=5) as r:
                if r.status == 200:
                    break
        except urllib.error.HTTPError:
            pass
        if time.perf_counter() - created > 5:
            sys.exit(f"token {token} not served within 5 s")
    delays.append((time.perf_counter() - created) * 1000)
    attempts_max = max(attempts_max, attempts)
    os.remove(path)
delays.sort()
print(f"{delays[len(delays) // 2]:.2f} {delays[-1]:.2f} {attempts_max}")
PYTHON
)

# --- report ------------------------------------------------------------------------------------
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }

rps_starter=$(column_median challenge/starter 1)
rps_static=$(column_median challenge/static 1)
rps_naive=$(column_median challenge/naive 1)
rps_constant=$(column_median challenge/constant 1)
rps_nginx=$(column_median challenge/nginx 1)
page_enabled=$(column_median page/starter 1)
page_disabled=$(column_median page/disabled 1)
start_enabled=$(startup_median enabled 1)
start_disabled=$(startup_median disabled 1)
read -r stale_median stale_max stale_attempts <<< "$staleness"

report=$(cat <<REPORT
Run on $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores ($(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo)),
$(java -version 2>&1 | head -n 1), $(nginx -v 2>&1), wrk with 1 thread and $connections connections.
Client and server share the same cores. Medians of $rounds interleaved rounds of ${duration}s after ${warmup}s of warm-up.

### Challenge requests (87-byte key authorization)

| variant | requests/s | p50 ms | p99 ms | ratio to starter |
|---|---|---|---|---|
| starter (acme.webroot) | $rps_starter | $(column_median challenge/starter 2) | $(column_median challenge/starter 3) | 1.00 |
| Spring static resource handler | $rps_static | $(column_median challenge/static 2) | $(column_median challenge/static 3) | $(ratio "$rps_static" "$rps_starter") |
| naive @GetMapping controller | $rps_naive | $(column_median challenge/naive 2) | $(column_median challenge/naive 3) | $(ratio "$rps_naive" "$rps_starter") |
| constant filter (ceiling, no file access) | $rps_constant | $(column_median challenge/constant 2) | $(column_median challenge/constant 3) | $(ratio "$rps_constant" "$rps_starter") |
| nginx | $rps_nginx | $(column_median challenge/nginx 2) | $(column_median challenge/nginx 3) | $(ratio "$rps_nginx" "$rps_starter") |

Starter / nginx: **$(ratio "$rps_starter" "$rps_nginx")** (target >= 0.6).
Constant filter / nginx: **$(ratio "$rps_constant" "$rps_nginx")** (the most a servlet filter reaches here).
Starter / static resource handler: **$(ratio "$rps_starter" "$rps_static")** (target >= 1.0).

### Other requests (a normal page)

| starter | requests/s | p50 ms | p99 ms |
|---|---|---|---|
| enabled | $page_enabled | $(column_median page/starter 2) | $(column_median page/starter 3) |
| disabled | $page_disabled | $(column_median page/disabled 2) | $(column_median page/disabled 3) |

Enabled / disabled: **$(ratio "$page_enabled" "$page_disabled")** (target >= 0.99).

### Startup (median of $startup_runs runs)

| starter | time to "Started" ms | RSS MB | heap used MB |
|---|---|---|---|
| enabled | $start_enabled | $(startup_median enabled 2) | $(startup_median enabled 3) |
| disabled | $start_disabled | $(startup_median disabled 2) | $(startup_median disabled 3) |

Enabled - disabled: **$(awk -v a="$start_enabled" -v b="$start_disabled" 'BEGIN { printf "%.0f", a - b }') ms** (target <= 25).

### Staleness ($staleness_runs new token files)

Time from writing a token file to its first 200: median $stale_median ms, max $stale_max ms;
requests needed at most: $stale_attempts (1 means the very next request saw the file).
REPORT
)
mkdir -p "$repo/bench/results"
printf '%s\n' "$report" | tee "$repo/bench/results/latest.md"
