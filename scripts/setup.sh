#!/usr/bin/env bash
# Installs what redline needs from Debian 12 packages, then configures and builds it
# (the Qt 6 viewer too: qt6-base-dev; its translations: qt6-tools-dev, qt6-l10n-tools, and
# qt6-translations-l10n for the Chinese of Qt's own dialogs; the server's web page:
# libjs-leaflet, built into the binary).
# Usage: scripts/setup.sh [--no-build] [--with-postgis] [--with-fuzz] [--with-bench] [--with-browser]
# (--with-browser: chromium, chromium-driver, python3-selenium and firefox-esr for the web page's test)
# Safe to run again: apt-get skips what is installed, CMake rebuilds what changed.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
build_dir=${REDLINE_BUILD_DIR:-$repo/build}
want_build=1 want_postgis=0 want_fuzz=0 want_bench=0 want_browser=0
for arg in "$@"; do
  case $arg in
    --no-build) want_build=0 ;;
    --with-postgis) want_postgis=1 ;;
    --with-fuzz) want_fuzz=1 ;;
    --with-bench) want_bench=1 ;;
    --with-browser) want_browser=1 ;;
    *) echo "setup.sh: unknown option '$arg'" >&2; exit 2 ;;
  esac
done

packages=(
  build-essential cmake pkg-config ninja-build
  libgdal-dev gdal-bin libgeos-dev libproj-dev proj-data
  libtomlplusplus-dev nlohmann-json3-dev libcli11-dev libssl-dev catch2 libpq-dev time
  libcairo2-dev libpango1.0-dev fonts-noto-cjk poppler-utils
  libcpp-httplib-dev zlib1g-dev libjs-leaflet
  qt6-base-dev libgl-dev qt6-tools-dev qt6-l10n-tools qt6-translations-l10n
)
if [ "$want_bench" = 1 ]; then
  packages+=(python3-geopandas python3-fiona python3-rtree)
fi
if [ "$want_fuzz" = 1 ]; then
  packages+=(clang libclang-rt-14-dev)
fi
if [ "$want_browser" = 1 ]; then
  packages+=(chromium chromium-driver python3-selenium firefox-esr)
fi
if [ "$want_postgis" = 1 ]; then
  packages+=(postgresql-15 postgresql-15-postgis-3 postgresql-client-15)
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  sudo_cmd=()
  [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
  echo "setup.sh: installing ${missing[*]}" >&2
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if [ "$want_build" = 1 ]; then
  cmake -S "$repo" -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DREDLINE_VIEWER=ON >/dev/null
  cmake --build "$build_dir" -j "$(nproc)"
fi
