#!/usr/bin/env bash
# What `npm test` needs besides node_modules: a Redis server on 127.0.0.1:6379 (redis-server and
# redis-cli also start the tests' own servers and cluster), a PostgreSQL server on 127.0.0.1:5432
# with trust auth for user postgres (the store tests create and drop their own databases), and
# Debian's chromium for the browser tests. Starts/installs them when missing (as root, with
# apt-get); otherwise says exactly what to do.
set -euo pipefail

need_root() {
  if [ "$(id -u)" != "0" ] || ! command -v apt-get >/dev/null 2>&1; then
    echo "test prerequisites: $1 is missing; install it (Debian: apt-get install -y $2) and run again" >&2
    exit 1
  fi
}

apt_install() {
  if [ -z "${APT_UPDATED:-}" ]; then apt-get update -qq; APT_UPDATED=1; fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

if ! command -v redis-server >/dev/null 2>&1; then
  need_root "redis-server" "redis-server"
  apt_install redis-server
fi
if ! redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then
  mkdir -p /tmp/redis-test
  redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no \
    --dir /tmp/redis-test --logfile /tmp/redis-test/redis.log
  for _ in $(seq 1 50); do redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 && break; sleep 0.1; done
  redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null
fi

if ! pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then
  if [ "$(id -u)" = "0" ] && command -v pg_ctlcluster >/dev/null 2>&1; then
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n 1)" main start
    for _ in $(seq 1 50); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 0.1; done
  fi
  if ! pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then
    echo "test prerequisites: PostgreSQL is not answering on 127.0.0.1:5432; start it (trust auth for user postgres) and run again" >&2
    exit 1
  fi
fi

if ! command -v chromium >/dev/null 2>&1; then
  need_root "chromium" "chromium"
  apt_install chromium
fi
