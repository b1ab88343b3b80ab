#!/bin/sh
# The image's entrypoint: the first argument names the process to run.
#   gateway                      the HTTP gateway (aduan-gateway)
#   intake triage dispatch sla reporting sms social lapor desk whatsapp staff_notices
#   agency_hooks                 that service or adapter (aduan-service NAME [options])
#   admin ARGS...                aduan-admin (seed, create-user, ...)
# Secrets come from files: for every ADUAN_X_FILE=/path in the environment, ADUAN_X is set
# to the file's content (trailing newlines dropped) and ADUAN_X_FILE is removed. An empty
# file leaves ADUAN_X unset (a provider token not issued yet); a missing file is an error.
set -eu

for name in $(env | sed -n 's/^\(ADUAN_[A-Z0-9_]*\)_FILE=.*$/\1/p'); do
  eval "file=\${${name}_FILE}"
  eval "already=\${${name}:-}"
  if [ -n "$already" ]; then
    echo "entrypoint: both $name and ${name}_FILE are set; set one" >&2
    exit 64
  fi
  if [ ! -r "$file" ]; then
    echo "entrypoint: ${name}_FILE names $file, which cannot be read" >&2
    exit 66
  fi
  value=$(cat "$file")
  unset "${name}_FILE"
  if [ -n "$value" ]; then
    export "$name=$value"
  fi
done

role=${1:-gateway}
[ "$#" -gt 0 ] && shift

case "$role" in
  gateway)
    exec aduan-gateway "$@"
    ;;
  intake | triage | dispatch | sla | reporting | sms | social | lapor | desk | whatsapp | staff_notices | agency_hooks)
    exec aduan-service "$role" "$@"
    ;;
  admin)
    exec aduan-admin "$@"
    ;;
  *)
    echo "usage: entrypoint {gateway|intake|triage|dispatch|sla|reporting|sms|social|lapor|desk|whatsapp|staff_notices|agency_hooks|admin} [ARGS...]" >&2
    exit 64
    ;;
esac
