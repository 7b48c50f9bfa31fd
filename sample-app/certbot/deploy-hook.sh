#!/bin/sh
# certbot --deploy-hook: copies the certificate chain and key that certbot has just issued or
# renewed to the TLS directory that the "https" profile reads, given as the first argument or as
# ACME_TLS_DIR. Each file is written under a temporary name and renamed, so the application never
# reads a half-written file. The application reloads both once they have been unchanged for
# spring.ssl.bundle.watch.file.quiet-period.
#   certbot ... --deploy-hook "/path/to/deploy-hook.sh /etc/sample-app/tls"
set -eu
: "${RENEWED_LINEAGE:?run this script as certbot --deploy-hook, which sets RENEWED_LINEAGE}"
tls_dir="${1:-${ACME_TLS_DIR:-}}"
: "${tls_dir:?pass the directory of fullchain.pem and privkey.pem as the first argument}"
umask 077
cp "$RENEWED_LINEAGE/privkey.pem" "$tls_dir/.privkey.pem.new"
cp "$RENEWED_LINEAGE/fullchain.pem" "$tls_dir/.fullchain.pem.new"
chmod 644 "$tls_dir/.fullchain.pem.new"
mv -f "$tls_dir/.privkey.pem.new" "$tls_dir/privkey.pem"
mv -f "$tls_dir/.fullchain.pem.new" "$tls_dir/fullchain.pem"
