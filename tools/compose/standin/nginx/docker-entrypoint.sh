#!/bin/bash
# The nginx image's template contract (see Dockerfile), for the twtix CI stand-in.
set -euo pipefail
if [ "${1:-}" = nginx ]; then
  # Only the variables that are set: nginx's own $variables stay as they are.
  defined="$(printf '${%s} ' $(env | cut -d= -f1))"
  for t in /etc/nginx/templates/*.template; do
    [ -f "$t" ] || continue
    out="/etc/nginx/conf.d/$(basename "$t" .template)"
    envsubst "$defined" <"$t" >"$out"
    echo "nginx: rendered $t to $out"
  done
fi
exec "$@"
