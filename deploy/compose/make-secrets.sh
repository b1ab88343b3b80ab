#!/bin/sh
# Writes the pilot's secrets into deploy/compose/secrets/, each once: a file that exists is
# kept, so running it again changes nothing. Compose bind-mounts secret files as they are,
# and the Aduan containers run as uid 10001 (Grafana as 472): the files are readable
# (0644) inside a directory only its owner may enter (0700). Random values for what Aduan
# and its engines share among themselves; empty files for what a provider issues (fill
# them in, then `docker compose up -d` again).
set -eu
cd "$(dirname "$0")/secrets"
chmod 0700 .
umask 022

random() { od -An -N32 -tx1 /dev/urandom | tr -d ' \n'; }
write() { # write NAME VALUE: unless NAME exists
  [ -e "$1" ] || printf '%s\n' "$2" >"$1"
}

for name in rabbitmq_password rabbitmq_erlang_cookie mongo_keyfile mongo_root_password \
  mongo_app_password sms_webhook_secret social_webhook_secret whatsapp_verify_token \
  page_secret grafana_admin_password; do
  write "$name" "$(random)"
done
write rabbitmq_user.conf "default_user = aduan
default_pass = $(cat rabbitmq_password)
default_vhost = aduan
default_permissions.configure = .*
default_permissions.read = .*
default_permissions.write = .*"
write amqp_uri "amqp://aduan:$(cat rabbitmq_password)@rabbitmq:5672/aduan"
write mongo_uri "mongodb://aduan:$(cat mongo_app_password)@mongo-1:27017,mongo-2:27017,mongo-3:27017/?replicaSet=rs0&authSource=admin"
for name in sms_provider_token social_provider_token lapor_token whatsapp_token \
  whatsapp_app_secret smtp_password; do
  [ -e "$name" ] || : >"$name"
done
echo "secrets in $(pwd):"
ls -1
