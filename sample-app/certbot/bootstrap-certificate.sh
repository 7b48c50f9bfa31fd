#!/bin/sh
# Writes a self-signed certificate and key to the TLS directory that the "https" profile reads,
# given as the first argument or as ACME_TLS_DIR, so that the application can start before the
# first certificate is issued. Run it once; certbot's deploy hook replaces both files.
set -eu
tls_dir="${1:-${ACME_TLS_DIR:-}}"
: "${tls_dir:?pass the directory for fullchain.pem and privkey.pem as the first argument}"
mkdir -p "$tls_dir"
umask 077
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 30 \
	-subj "/CN=localhost" -keyout "$tls_dir/privkey.pem" -out "$tls_dir/fullchain.pem"
chmod 644 "$tls_dir/fullchain.pem"
