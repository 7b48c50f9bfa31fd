# Throwaway PostgreSQL and Redis servers for the tests of the shared challenge stores.
#
# Source this file, then call start_services and, when done, stop_services:
#
#   source scripts/services.sh && start_services
#   ./mvnw -B test
#   stop_services
#
# start_services starts both servers on 127.0.0.1 with free ports, data in a new temporary
# directory and no persistence beyond it, waits until they accept connections and exports:
#
#   ACME_TEST_PG_URL, ACME_TEST_PG_HOST, ACME_TEST_PG_PORT, ACME_TEST_PG_DATABASE,
#   ACME_TEST_PG_USER, ACME_TEST_PG_PASSWORD     PostgreSQL (JDBC URL and its parts)
#   ACME_TEST_REDIS_HOST, ACME_TEST_REDIS_PORT   Redis
#
# stop_services stops both servers by PID and deletes the temporary directory. Needs the Debian
# packages postgresql and redis-server. PostgreSQL refuses to run as root, so as root the server
# runs as the postgres user.

ACME_SERVICES_PG_BIN="${ACME_SERVICES_PG_BIN:-}"

_acme_services_log() {
	echo "services.sh: $*" >&2
}

_acme_services_free_port() {
	python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

_acme_services_pg_bin() {
	if [ -n "$ACME_SERVICES_PG_BIN" ]; then
		echo "$ACME_SERVICES_PG_BIN"
		return
	fi
	local dir
	dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
	if [ -z "$dir" ]; then
		_acme_services_log "PostgreSQL not found under /usr/lib/postgresql: install the Debian package postgresql"
		return 1
	fi
	echo "$dir"
}

# Runs a command as the PostgreSQL server's user: postgres when running as root, else the caller.
_acme_services_as_pg_user() {
	if [ "$(id -u)" = 0 ]; then
		runuser -u postgres -- "$@"
	else
		"$@"
	fi
}

_acme_services_start_postgres() {
	local bin port data password_file
	bin=$(_acme_services_pg_bin) || return 1
	port=$(_acme_services_free_port) || return 1
	data="$ACME_SERVICES_DIR/postgres"
	mkdir -p "$data"

	# A superuser "acme" with a random password, so that the tests log in as an application would.
	password_file="$ACME_SERVICES_DIR/pg-password"
	ACME_TEST_PG_USER=acme
	ACME_TEST_PG_PASSWORD="acme-test-$RANDOM$RANDOM"
	printf '%s\n' "$ACME_TEST_PG_PASSWORD" >"$password_file"
	if [ "$(id -u)" = 0 ]; then
		chown postgres: "$data" "$password_file"
	fi
	chmod 700 "$data"
	if ! _acme_services_as_pg_user "$bin/initdb" -D "$data" -U "$ACME_TEST_PG_USER" --pwfile="$password_file" \
		--auth=scram-sha-256 --encoding=UTF8 --no-instructions >"$ACME_SERVICES_DIR/initdb.log" 2>&1; then
		_acme_services_log "initdb failed, see $ACME_SERVICES_DIR/initdb.log:"
		cat "$ACME_SERVICES_DIR/initdb.log" >&2
		return 1
	fi
	rm -f "$password_file"

	# TCP on loopback only and the Unix socket in the data directory. fsync is off because the data
	# is thrown away.
	if ! _acme_services_as_pg_user "$bin/pg_ctl" -D "$data" -l "$data/server.log" -w -t 60 \
		-o "-c listen_addresses=127.0.0.1 -p $port -k $data -c fsync=off -c full_page_writes=off" \
		start >/dev/null; then
		_acme_services_log "PostgreSQL did not start, see $data/server.log:"
		cat "$data/server.log" >&2
		return 1
	fi
	ACME_SERVICES_PG_PID=$(head -n 1 "$data/postmaster.pid")

	ACME_TEST_PG_HOST=127.0.0.1
	ACME_TEST_PG_PORT=$port
	ACME_TEST_PG_DATABASE=postgres
	ACME_TEST_PG_URL="jdbc:postgresql://$ACME_TEST_PG_HOST:$port/$ACME_TEST_PG_DATABASE"
	export ACME_TEST_PG_URL ACME_TEST_PG_HOST ACME_TEST_PG_PORT ACME_TEST_PG_DATABASE ACME_TEST_PG_USER \
		ACME_TEST_PG_PASSWORD
	_acme_services_log "PostgreSQL on 127.0.0.1:$port (PID $ACME_SERVICES_PG_PID)"
}

_acme_services_start_redis() {
	local port deadline
	port=$(_acme_services_free_port) || return 1
	mkdir -p "$ACME_SERVICES_DIR/redis"
	redis-server --bind 127.0.0.1 --port "$port" --save '' --appendonly no --daemonize no \
		--dir "$ACME_SERVICES_DIR/redis" --logfile "$ACME_SERVICES_DIR/redis/server.log" &
	ACME_SERVICES_REDIS_PID=$!
	deadline=$((SECONDS + 30))
	until redis-cli -h 127.0.0.1 -p "$port" ping >/dev/null 2>&1; do
		if ! kill -0 "$ACME_SERVICES_REDIS_PID" 2>/dev/null || [ "$SECONDS" -ge "$deadline" ]; then
			_acme_services_log "Redis did not start, see $ACME_SERVICES_DIR/redis/server.log:"
			cat "$ACME_SERVICES_DIR/redis/server.log" >&2
			return 1
		fi
		sleep 0.1
	done
	ACME_TEST_REDIS_HOST=127.0.0.1
	ACME_TEST_REDIS_PORT=$port
	export ACME_TEST_REDIS_HOST ACME_TEST_REDIS_PORT
	_acme_services_log "Redis on 127.0.0.1:$port (PID $ACME_SERVICES_REDIS_PID)"
}

# Sends SIGTERM to a process and waits up to 30 seconds for it to exit.
_acme_services_stop_pid() {
	local pid=$1 name=$2 deadline
	[ -n "$pid" ] || return 0
	kill -TERM "$pid" 2>/dev/null || return 0
	deadline=$((SECONDS + 30))
	while kill -0 "$pid" 2>/dev/null; do
		if [ "$SECONDS" -ge "$deadline" ]; then
			_acme_services_log "$name (PID $pid) did not stop within 30 s; sending SIGKILL"
			kill -KILL "$pid" 2>/dev/null
			break
		fi
		sleep 0.1
	done
}

# Starts PostgreSQL and Redis and exports their connection settings. Returns non-zero on failure.
start_services() {
	if [ -n "${ACME_SERVICES_DIR:-}" ]; then
		_acme_services_log "services already started in $ACME_SERVICES_DIR"
		return 0
	fi
	ACME_SERVICES_DIR=$(mktemp -d /tmp/acme-services.XXXXXX) || return 1
	# The postgres user must reach its data directory inside.
	chmod 755 "$ACME_SERVICES_DIR"
	if ! _acme_services_start_postgres || ! _acme_services_start_redis; then
		stop_services
		return 1
	fi
}

# Stops the servers started by start_services and deletes their data.
stop_services() {
	_acme_services_stop_pid "${ACME_SERVICES_REDIS_PID:-}" Redis
	_acme_services_stop_pid "${ACME_SERVICES_PG_PID:-}" PostgreSQL
	# Wait for the shell's own background job too, so that no zombie is left.
	[ -n "${ACME_SERVICES_REDIS_PID:-}" ] && wait "$ACME_SERVICES_REDIS_PID" 2>/dev/null
	if [ -n "${ACME_SERVICES_DIR:-}" ]; then
		rm -rf "$ACME_SERVICES_DIR"
	fi
	unset ACME_SERVICES_DIR ACME_SERVICES_PG_PID ACME_SERVICES_REDIS_PID
	unset ACME_TEST_PG_URL ACME_TEST_PG_HOST ACME_TEST_PG_PORT ACME_TEST_PG_DATABASE ACME_TEST_PG_USER \
		ACME_TEST_PG_PASSWORD ACME_TEST_REDIS_HOST ACME_TEST_REDIS_PORT
	return 0
}
