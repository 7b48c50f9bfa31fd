#!/usr/bin/env bash
# certbot --manual-auth-hook: puts the HTTP-01 key authorization that certbot passes in
# CERTBOT_TOKEN and CERTBOT_VALIDATION into the shared store. Configured through the environment
# described in challenge-store.sh.
set -euo pipefail
: "${CERTBOT_TOKEN:?is not set: run this script as certbot --manual-auth-hook with --preferred-challenges http}"
: "${CERTBOT_VALIDATION:?is not set: run this script as certbot --manual-auth-hook}"
exec "$(dirname "$0")/challenge-store.sh" put "$CERTBOT_TOKEN" "$CERTBOT_VALIDATION"
