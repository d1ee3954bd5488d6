#!/usr/bin/env bash
# Creates the secrets docker-compose.yml reads (its top-level `secrets:`) as files in ./secrets/,
# one value each, from openssl's random generator. A file that exists is kept: keys are
# never replaced behind an operator's back (a new payload or match key would make the data already
# stored unreadable or unmatchable; docs/operations.md says how to rotate each). Run from anywhere:
#   deploy/create-secrets.sh            # then: docker compose up -d
# (An argument names another folder: tests/e2e/compose-env.test.ts makes its secrets with it.)
# Back the folder up somewhere safe and apart from the database backups: without these keys the
# backups cannot be read.
set -euo pipefail
dir="${1:-$(cd "$(dirname "$0")/.." && pwd)/secrets}"
# The folder is the lock (700: no one else on the host may even list it). The files are readable
# (644) because Compose bind-mounts each one into the containers as it is, and the services read
# them as their own unprivileged users (node, postgres, temporal, grafana), not as the file's owner.
mkdir -p "$dir"
chmod 700 "$dir"
umask 022

# A new secret file from the command after the name, unless one exists.
create() {
  local name=$1
  shift
  if [ -s "$dir/$name" ]; then
    echo "kept    $dir/$name"
    return
  fi
  "$@" >"$dir/$name.tmp"
  mv "$dir/$name.tmp" "$dir/$name"
  echo "created $dir/$name"
}

key_id="k$(date +%Y%m%d)"
# Passwords: hex, so that they need no quoting anywhere (URLs, SQL, shell).
password() { openssl rand -hex 24; }
key32() { openssl rand -base64 32; }
keyring() { printf '%s:%s\n' "$key_id" "$(key32)"; }

create postgres_password password
create temporal_db_password password
create ppks_owner_db_password password
create ppks_app_db_password password
create grafana_admin_password password
create ppks_payload_keys keyring
create ppks_hash_keys keyring
create ppks_match_key key32
create ppks_audit_signing_key openssl genpkey -algorithm ed25519
