#!/bin/sh
# Runs once, when the primary's data folder is first created (docker-entrypoint-initdb.d):
# a role the streaming replica (docker-compose.yml, profile "replica") connects as, and the
# pg_hba line that lets it. Without POSTGRES_REPLICATION_PASSWORD nothing is created.
set -eu
if [ -z "${POSTGRES_REPLICATION_PASSWORD:-}" ]; then
    exit 0
fi
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
    -v password="$POSTGRES_REPLICATION_PASSWORD" <<'SQL'
CREATE ROLE replicator WITH REPLICATION LOGIN PASSWORD :'password';
SQL
echo "host replication replicator all scram-sha-256" >> "$PGDATA/pg_hba.conf"
