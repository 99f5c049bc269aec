#!/usr/bin/env bash
# Starts StatementTracker on a fresh machine: PostgreSQL (Docker compose where a Docker engine
# answers, otherwise a local cluster from this machine's PostgreSQL server binaries, kept in .data/),
# the schema, the seed statements, then the service on http://127.0.0.1:${PORT:-5080}.
# Ctrl-C stops the service and the local cluster; running it again reuses the data.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
port=${PORT:-5080}
db_port=${STATEMENTTRACKER_DB_PORT:-5433}
project="$root/src/StatementTracker.Host"
cluster="$root/.data/postgres"
local_cluster=false

if command -v docker >/dev/null 2>&1 && docker info >/dev/null 2>&1; then
  echo "Starting PostgreSQL with Docker compose on 127.0.0.1:$db_port ..."
  STATEMENTTRACKER_DB_PORT=$db_port docker compose -f "$root/docker-compose.yml" up -d --wait postgres
  superuser="Password=postgres"
  psql_super() { docker compose -f "$root/docker-compose.yml" exec -T postgres psql -U postgres -d statementtracker -v ON_ERROR_STOP=1 -q "$@"; }
else
  echo "No Docker engine: starting a local PostgreSQL cluster in .data/postgres on 127.0.0.1:$db_port ..."
  "$root/deploy/postgres-local.sh" start "$cluster" "$db_port" statementtracker
  local_cluster=true
  superuser="Password=$(cat "$cluster.password" 2>/dev/null || true)"
  pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  psql_super() { PGPASSWORD="${superuser#Password=}" "${PG_BIN:-$pg_bin}/psql" -h 127.0.0.1 -p "$db_port" -U postgres -d statementtracker -v ON_ERROR_STOP=1 -q "$@"; }
fi

stop_cluster() {
  if [ "$local_cluster" = true ]; then
    echo "Stopping the local PostgreSQL cluster ..."
    "$root/deploy/postgres-local.sh" stop "$cluster"
  fi
}
trap stop_cluster EXIT

# Two roles, made once with passwords kept in the git-ignored .data/: the schema's owner, which db-apply
# runs as, and the service's role, which reads and writes but cannot drop or alter the event store.
mkdir -p "$root/.data"
secret() { [ -s "$1" ] || (umask 077; head -c 18 /dev/urandom | od -An -tx1 | tr -d ' \n' > "$1"); cat "$1"; }
owner_password=$(secret "$root/.data/owner-password")
service_password=$(secret "$root/.data/service-password")
psql_super <<SQL
do \$\$ begin
  if not exists (select from pg_roles where rolname = 'statementtracker_owner') then create role statementtracker_owner login; end if;
  if not exists (select from pg_roles where rolname = 'statementtracker_service') then create role statementtracker_service login; end if;
end \$\$;
alter role statementtracker_owner password '$owner_password';
alter role statementtracker_service password '$service_password';
grant statementtracker_service to statementtracker_owner;
alter database statementtracker owner to statementtracker_owner;
alter schema public owner to statementtracker_owner;
SQL
base="Host=127.0.0.1;Port=$db_port;Database=statementtracker"
owner_connection="$base;Username=statementtracker_owner;Password=$owner_password"
connection="$base;Username=statementtracker_service;Password=$service_password"

export ConnectionStrings__StatementTracker="$connection"
export ASPNETCORE_ENVIRONMENT=${ASPNETCORE_ENVIRONMENT:-Development}

# A development API key with both roles, created once and kept in the git-ignored .data/.
# The service only ever sees its SHA-256 hash.
key_file="$root/.data/dev-api-key"
if [ ! -s "$key_file" ]; then
  mkdir -p "$root/.data"
  (umask 077; head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n' > "$key_file")
fi
dev_key=$(cat "$key_file")
export Security__ApiKeys__0__Name=${Security__ApiKeys__0__Name:-local-developer}
export Security__ApiKeys__0__Hash=$(printf %s "$dev_key" | sha256sum | cut -d' ' -f1)
export Security__ApiKeys__0__Roles=analyst,admin

echo "Building ..."
dotnet build "$project" -c Release -v quiet -nologo
host="$project/bin/Release/net10.0/StatementTracker.Host.dll"
# The host reads appsettings.json from its working directory.
cd "$(dirname "$host")"

echo "Applying the schema (as statementtracker_owner) ..."
ConnectionStrings__StatementTracker="$owner_connection" dotnet "$host" db-apply >/dev/null
ConnectionStrings__StatementTracker="$owner_connection" dotnet "$host" db-grant statementtracker_service >/dev/null
echo "Loading the seed statements ..."
dotnet "$host" seed | grep -v "^Searching\|^for commands\|^commands\|PublicKeyToken" || true

cat <<TEXT

StatementTracker listens on http://127.0.0.1:$port  (Ctrl-C stops it)
Development API key (roles analyst, admin; kept in .data/dev-api-key): $dev_key
Try:
  curl http://127.0.0.1:$port/countries/JPN/positions/china-russia-relations
  curl http://127.0.0.1:$port/topics/china-russia-relations/positions
  curl "http://127.0.0.1:$port/statements?country=Japan"
  curl -X POST http://127.0.0.1:$port/statements -H 'Content-Type: application/json' -H "X-Api-Key: $dev_key" \\
    -d '{"speaker":{"name":"Yoko Kamikawa","role":"Minister for Foreign Affairs"},"country":"Japan","topics":["south-china-sea"],"position":"expresses serious concern over dangerous actions","statedOn":"2024-06-18"}'
  curl -H "X-Api-Key: $dev_key" http://127.0.0.1:$port/admin/projections

TEXT
dotnet "$host" --urls "http://127.0.0.1:$port"
