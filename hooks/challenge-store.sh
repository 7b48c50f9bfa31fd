#!/usr/bin/env bash
# Puts or removes an ACME HTTP-01 key authorization in the shared store that the application
# serves it from (acme.store=jdbc or acme.store=redis).
#
#   challenge-store.sh put TOKEN KEY_AUTHORIZATION
#   challenge-store.sh remove TOKEN
#
# Environment (the ACME_* names are also the environment variables that Spring Boot binds to the
# application's acme.* properties, so one environment can configure both):
#   ACME_STORE             jdbc or redis (required)
#   ACME_CHALLENGE_TTL     seconds until a token expires if it is never removed (default 3600)
#   jdbc:  PGHOST, PGPORT, PGDATABASE, PGUSER, PGPASSWORD and the other libpq variables that
#          psql reads; ACME_JDBC_TABLENAME (default acme_challenge)
#   redis: REDIS_URL (redis://[user:password@]host:port/db), or REDIS_HOST (default 127.0.0.1),
#          REDIS_PORT (default 6379) and REDIS_DB (default 0); REDISCLI_AUTH for a password;
#          ACME_REDIS_KEYPREFIX (default acme:challenge:)
set -euo pipefail
shopt -s inherit_errexit

fail() {
	echo "challenge-store.sh: $*" >&2
	exit 1
}

usage() {
	fail "usage: challenge-store.sh put TOKEN KEY_AUTHORIZATION | remove TOKEN"
}

check_token() {
	[[ "$1" =~ ^[A-Za-z0-9_-]{22,255}$ ]] \
		|| fail "invalid token [$1]: expected 22 to 255 characters of A-Z, a-z, 0-9, '-' and '_'"
}

check_key_authorization() {
	local token=$1 key_authorization=$2
	[[ "$key_authorization" =~ ^[A-Za-z0-9_-]{22,255}\.[A-Za-z0-9_-]{1,128}$ ]] \
		&& [[ "${key_authorization%%.*}" == "$token" ]] \
		|| fail "invalid key authorization [$key_authorization]: expected the token, a dot and the account key thumbprint"
}

ttl=${ACME_CHALLENGE_TTL:-3600}
[[ "$ttl" =~ ^[1-9][0-9]{0,8}$ ]] || fail "invalid ACME_CHALLENGE_TTL [$ttl]: expected a positive number of seconds"

# --- PostgreSQL, through psql ---

psql_run() {
	PGCONNECT_TIMEOUT=${PGCONNECT_TIMEOUT:-10} psql -X -q -v ON_ERROR_STOP=1 "$@"
}

jdbc_table() {
	local table=${ACME_JDBC_TABLENAME:-acme_challenge}
	[[ "$table" =~ ^([A-Za-z_][A-Za-z0-9_]{0,62}\.)?[A-Za-z_][A-Za-z0-9_]{0,62}$ ]] \
		|| fail "invalid ACME_JDBC_TABLENAME [$table]: expected an unquoted SQL identifier such as acme_challenge"
	echo "$table"
}

jdbc_put() {
	local table
	table=$(jdbc_table)
	psql_run -v token="$1" -v key_authorization="$2" <<SQL
INSERT INTO $table (token, key_authorization, expires_at)
VALUES (:'token', :'key_authorization', CURRENT_TIMESTAMP + make_interval(secs => $ttl))
ON CONFLICT (token) DO UPDATE
	SET key_authorization = EXCLUDED.key_authorization, expires_at = EXCLUDED.expires_at;
DELETE FROM $table WHERE expires_at <= CURRENT_TIMESTAMP;
SQL
}

jdbc_remove() {
	local table
	table=$(jdbc_table)
	psql_run -v token="$1" <<SQL
DELETE FROM $table WHERE token = :'token' OR expires_at <= CURRENT_TIMESTAMP;
SQL
}

# --- Redis, through redis-cli ---

redis_run() {
	local reply status=0
	if [[ -n "${REDIS_URL:-}" ]]; then
		reply=$(redis-cli -u "$REDIS_URL" "$@" 2>&1) || status=$?
	else
		reply=$(redis-cli -h "${REDIS_HOST:-127.0.0.1}" -p "${REDIS_PORT:-6379}" -n "${REDIS_DB:-0}" "$@" 2>&1) \
			|| status=$?
	fi
	# redis-cli 7.0 exits with status 0 after an error reply when its output is not a terminal,
	# and goes on in database 0 when selecting REDIS_DB fails ("SELECT 99 failed: ERR ..." on
	# stderr), so check every line of the reply as well.
	if ((status != 0)) || grep -qE '^(ERR|WRONGPASS|NOAUTH|NOPERM)|failed: ' <<< "$reply"; then
		fail "Redis command $1 failed: $reply"
	fi
	echo "$reply"
}

redis_put() {
	local reply
	reply=$(redis_run SET "${ACME_REDIS_KEYPREFIX:-acme:challenge:}$1" "$2" EX "$ttl")
	[[ "$reply" == OK ]] || fail "Redis SET returned [$reply] instead of OK"
}

redis_remove() {
	redis_run DEL "${ACME_REDIS_KEYPREFIX:-acme:challenge:}$1" >/dev/null
}

# --- Command ---

[[ $# -ge 1 ]] || usage
command=$1
shift
case "${ACME_STORE:-}" in
	jdbc | JDBC) store=jdbc ;;
	redis | REDIS) store=redis ;;
	*) fail "ACME_STORE is [${ACME_STORE:-}]: set it to jdbc or redis, as acme.store of the application" ;;
esac
case "$command" in
	put)
		[[ $# -eq 2 ]] || usage
		check_token "$1"
		check_key_authorization "$1" "$2"
		"${store}_put" "$1" "$2"
		;;
	remove)
		[[ $# -eq 1 ]] || usage
		check_token "$1"
		"${store}_remove" "$1"
		;;
	*)
		usage
		;;
esac
