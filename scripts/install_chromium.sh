#!/usr/bin/env bash
# Debian's Chromium for the browser tests and the web benchmark (Playwright's own browser download
# is not used: `playwright install` needs a host this project does not rely on).
set -euo pipefail
if [ -x /usr/bin/chromium ]; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "chromium is missing: run 'apt-get update && apt-get install -y chromium' as root" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core
