#!/usr/bin/env bash
# Installs what the test suite needs from Debian and is not on a fresh machine:
# Chromium (browser tests), the PostgreSQL 15 server binaries (storage tests) and libsodium
# (the ristretto255 group of verifiable ballots, loaded by pysodium).
# Anything already present is skipped, so a warm machine stays fast.
set -euo pipefail

need=()
[ -x /usr/bin/chromium ] || need+=(chromium)
if ! command -v initdb >/dev/null 2>&1 && [ ! -x /usr/lib/postgresql/15/bin/initdb ]; then
    need+=(postgresql-15)
fi
if ! ldconfig -p 2>/dev/null | grep -q 'libsodium\.so\.23'; then
    need+=(libsodium23)   # ristretto255 for verifiable ballots, through pysodium
fi
if ! command -v runuser >/dev/null 2>&1; then
    need+=(util-linux)
fi

if [ ${#need[@]} -eq 0 ]; then
    echo "system dependencies: all present"
    exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
    echo "missing Debian packages: ${need[*]} (run as root, or: sudo apt-get install ${need[*]})" >&2
    exit 1
fi
echo "installing Debian packages: ${need[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
