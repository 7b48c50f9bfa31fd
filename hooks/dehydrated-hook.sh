#!/usr/bin/env bash
# dehydrated HOOK for CHALLENGETYPE="http-01": puts each token's key authorization into the shared
# store on deploy_challenge and removes it on clean_challenge. dehydrated passes one
# "DOMAIN TOKEN KEY_AUTHORIZATION" triple per call, or all of them at once with HOOK_CHAIN="yes".
# Every other hook event is ignored. Configured through the environment described in
# challenge-store.sh.
set -euo pipefail
store="$(dirname "$0")/challenge-store.sh"
handler=${1:-}
shift || true
case "$handler" in
	deploy_challenge | clean_challenge)
		(($# > 0 && $# % 3 == 0)) || {
			echo "dehydrated-hook.sh: $handler expects DOMAIN TOKEN KEY_AUTHORIZATION triples, got $# arguments" >&2
			exit 1
		}
		while (($# > 0)); do
			if [[ "$handler" == deploy_challenge ]]; then
				"$store" put "$2" "$3"
			else
				"$store" remove "$2"
			fi
			shift 3
		done
		;;
esac
