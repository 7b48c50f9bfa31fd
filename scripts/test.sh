#!/usr/bin/env bash
# Runs every test of the project. It installs the Debian packages whose programs the tests start
# (Pebble, certbot, lego, dehydrated, nginx, PostgreSQL, Redis, wrk, openssl) if any is missing.
# Then it starts the shared services of scripts/services.sh if that file exists, runs
# "./mvnw -B verify" from the repository root and exits with its status.
#
# Run it as root on Debian 12 or later; as another user it works only when every package is
# already installed.
set -euo pipefail

readonly PACKAGES=(pebble certbot lego dehydrated nginx-light postgresql redis-server wrk openssl)

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
readonly repo_root

log() {
	printf 'test.sh: %s\n' "$*" >&2
}

fail() {
	log "$*"
	exit 1
}

is_installed() {
	[[ "$(dpkg-query -W -f='${db:Status-Status}' "$1" 2>/dev/null)" == "installed" ]]
}

install_missing_packages() {
	if ! command -v dpkg-query >/dev/null; then
		log "dpkg-query not found, so this is not Debian: skipping package installation." \
			"The tests need these commands on the PATH: pebble, pebble-challtestsrv, certbot, lego," \
			"dehydrated, nginx, postgres, redis-server, wrk, openssl."
		return
	fi
	local missing=()
	local package
	for package in "${PACKAGES[@]}"; do
		if ! is_installed "$package"; then
			missing+=("$package")
		fi
	done
	if ((${#missing[@]} == 0)); then
		log "All required Debian packages are installed."
		return
	fi
	if ((EUID != 0)); then
		fail "Missing Debian packages: ${missing[*]}. Run this script as root, or install them with:" \
			"apt-get install -y ${missing[*]}"
	fi
	log "Installing missing Debian packages: ${missing[*]}"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update
	apt-get install -y "${missing[@]}"
}

start_services_if_defined() {
	local services_script="$repo_root/scripts/services.sh"
	if [[ ! -f "$services_script" ]]; then
		log "No scripts/services.sh: not starting shared services."
		return
	fi
	# shellcheck source=/dev/null
	source "$services_script"
	# Set the trap first, so that services started before a failure are stopped as well.
	trap stop_services EXIT
	log "Starting services from scripts/services.sh"
	start_services
}

main() {
	install_missing_packages
	if ! command -v java >/dev/null && [[ -z "${JAVA_HOME:-}" ]]; then
		fail "No Java found: install a JDK 17 or later (for example apt-get install -y openjdk-17-jdk-headless)" \
			"or set JAVA_HOME."
	fi
	start_services_if_defined
	cd "$repo_root"
	log "Running ./mvnw -B verify in $repo_root"
	local status=0
	./mvnw -B verify || status=$?
	if ((status == 0)); then
		log "Tests passed in ${SECONDS} s."
	else
		log "Tests failed (./mvnw exited with status $status) after ${SECONDS} s."
	fi
	exit "$status"
}

main
