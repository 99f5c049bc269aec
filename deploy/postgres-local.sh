#!/usr/bin/env bash
# A PostgreSQL cluster from this machine's own server binaries, for development and tests where
# no Docker engine answers.
#
#   deploy/postgres-local.sh start  DIR PORT [DB]  create the cluster in DIR if needed, start it on
#                                                  127.0.0.1:PORT, and create database DB if missing
#   deploy/postgres-local.sh stop   DIR        stop it (fast shutdown)
#   deploy/postgres-local.sh status DIR        exit 0 when it runs
#
# Password authentication (scram-sha-256), on loopback only: the superuser `postgres` gets a random
# password at creation, kept beside the data directory in DIR.password (mode 600), which callers read.
# PostgreSQL refuses to run as root, so as root the cluster belongs to, and runs as, `postgres`.
# Text sorts by byte (LC_COLLATE C; character classes stay UTF-8): the service's keys are codes and slugs,
# and PostgreSQL compares C-collated text without the C library's collation: the import and the rebuilds
# of 1,000,000 statements took 14-19% less time here (see README, Benchmark).
set -euo pipefail

command=${1:?usage: postgres-local.sh start|stop|status DIR [PORT]}
dir=${2:?data directory required}
port=${3:-5433}
database=${4:-}

find_bin() {
  if [ -n "${PG_BIN:-}" ]; then echo "$PG_BIN"; return; fi
  if command -v pg_ctl >/dev/null 2>&1; then dirname "$(readlink -f "$(command -v pg_ctl)")"; return; fi
  local candidate
  candidate=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  if [ -n "$candidate" ] && [ -x "$candidate/pg_ctl" ]; then echo "$candidate"; return; fi
  echo "PostgreSQL server binaries not found: install them (Debian: apt-get install postgresql) or set PG_BIN." >&2
  exit 1
}

bin=$(find_bin)
run_as_owner() {
  if [ "$(id -u)" = "0" ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

case "$command" in
  start)
    mkdir -p "$dir"
    [ "$(id -u)" = "0" ] && chown postgres:postgres "$dir" && chmod 700 "$dir"
    password_file="$dir.password"
    if [ ! -f "$dir/PG_VERSION" ]; then
      (umask 077; head -c 18 /dev/urandom | od -An -tx1 | tr -d ' \n' > "$password_file")
      pwfile=$(mktemp)
      cp "$password_file" "$pwfile"
      [ "$(id -u)" = "0" ] && chown postgres "$pwfile"
      run_as_owner "$bin/initdb" -D "$dir" -U postgres --auth=scram-sha-256 --pwfile="$pwfile" --encoding=UTF8 --locale=C.UTF-8 --lc-collate=C >/dev/null
      rm -f "$pwfile"
    fi
    # A cluster made before passwords (trust) keeps working: no password file, no password needed.
    if [ -f "$password_file" ]; then export PGPASSWORD=$(cat "$password_file"); fi
    if run_as_owner "$bin/pg_ctl" -D "$dir" status >/dev/null 2>&1; then
      echo "PostgreSQL already running in $dir"
    else
      run_as_owner "$bin/pg_ctl" -D "$dir" -l "$dir/server.log" -w -t 60 \
        -o "-p $port -c listen_addresses=127.0.0.1 -c unix_socket_directories='' -c max_connections=300" \
        start >/dev/null
      echo "PostgreSQL running on 127.0.0.1:$port (data in $dir)"
    fi
    if [ -n "$database" ] && ! "$bin/psql" -h 127.0.0.1 -p "$port" -U postgres -tAc \
        "select 1 from pg_database where datname = '$database'" | grep -q 1; then
      "$bin/createdb" -h 127.0.0.1 -p "$port" -U postgres "$database"
    fi
    ;;
  stop)
    if [ -f "$dir/PG_VERSION" ] && run_as_owner "$bin/pg_ctl" -D "$dir" status >/dev/null 2>&1; then
      run_as_owner "$bin/pg_ctl" -D "$dir" -m fast -w stop >/dev/null
    fi
    ;;
  status)
    run_as_owner "$bin/pg_ctl" -D "$dir" status >/dev/null 2>&1
    ;;
  *)
    echo "unknown command: $command" >&2
    exit 2
    ;;
esac
