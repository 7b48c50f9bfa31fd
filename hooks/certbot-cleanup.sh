#!/usr/bin/env bash
# certbot --manual-cleanup-hook: removes the token in CERTBOT_TOKEN from the shared store.
# Configured through the environment described in challenge-store.sh.
set -euo pipefail
: "${CERTBOT_TOKEN:?is not set: run this script as certbot --manual-cleanup-hook with --preferred-challenges http}"
exec "$(dirname "$0")/challenge-store.sh" remove "$CERTBOT_TOKEN"
