#!/usr/bin/env bash
# Installs, on Debian, what the tests drive besides the JVM: headless Chromium and its driver for
# the browser tests, a ClamAV daemon for the upload scans, a Korean font for the pages shown in
# Korean, and Python 3 for the TCP bridge example. Only what is missing is installed; when everything is there this prints nothing.
set -euo pipefail

missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
[ -x /usr/bin/chromedriver ] || missing+=(chromium-driver)
[ -x /usr/sbin/clamd ] || missing+=(clamav-daemon clamav)
fc-list :lang=ko family 2>/dev/null | grep -q . || missing+=(fonts-nanum)
command -v python3 >/dev/null 2>&1 || missing+=(python3)

[ ${#missing[@]} -eq 0 ] && exit 0

cannot() {
  echo "The tests need these Debian packages, which are missing: ${missing[*]}." >&2
  echo "$1 Install them, or skip the tests with -DskipTests." >&2
  exit 1
}
command -v apt-get >/dev/null 2>&1 || cannot "There is no apt-get here to install them with."
[ "$(id -u)" -eq 0 ] || cannot "Installing them needs root (sudo apt-get install --no-install-recommends ${missing[*]})."

echo "Installing for the tests: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q --no-install-recommends "${missing[@]}"
# Debian's clamd service would wait for signatures it cannot download; the tests start their own clamd.
if command -v systemctl >/dev/null 2>&1; then
  systemctl disable --now clamav-daemon clamav-freshclam >/dev/null 2>&1 || true
fi
