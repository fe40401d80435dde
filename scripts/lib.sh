# Shared by scripts/run and scripts/test: package installation and the build.
# shellcheck shell=bash

ORS_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

ORS_BUILD_PACKAGES=(
    build-essential cmake ninja-build pkg-config zlib1g-dev
    qt6-base-dev qt6-charts-dev libqt6opengl6-dev qtkeychain-qt6-dev libquazip1-qt6-dev libqt6svg6
    libqt6sql6-sqlite libqt6sql6-mysql libqt6sql6-psql qt6-httpserver-dev qt6-websockets-dev
    qt6-tools-dev qt6-tools-dev-tools qt6-l10n-tools libsqlite3-dev libsimdjson-dev libdeflate-dev libmariadb-dev libpq-dev
    libcurl4-openssl-dev xvfb xauth ccache clang-format clang-tidy
    qt6-translations-l10n # Qt's own strings (wizard and dialog buttons) in the translated languages, at run time
)
# desktop-file-utils, appstream, dpkg-dev (dpkg-shlibdeps for cpack) and sqlite3: tests/packaging.
ORS_TEST_PACKAGES=(mariadb-server-core mariadb-client-core postgresql openssl desktop-file-utils appstream dpkg-dev
    sqlite3)
# What scripts/screenshots and scripts/tray-check run beside the build: an X server, pngquant for
# small pictures, openbox and Debian's trayer as a desktop with a tray host, xdotool to click, xwininfo/xprop (x11-utils),
# ImageMagick's import/compare/convert.
ORS_CHECK_PACKAGES=(xvfb xauth pngquant openbox trayer xdotool x11-utils imagemagick)

ors_as_root() {
    if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

# Installs what is missing; refreshes the package lists only when a package has no candidate.
ors_install_packages() {
    local missing=() pkg
    for pkg in "$@"; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    local need_update=0
    for pkg in "${missing[@]}"; do
        if ! apt-cache policy "$pkg" 2>/dev/null | grep -q 'Candidate: [^(]'; then need_update=1; fi
    done
    if [ $need_update -eq 1 ]; then
        echo "==> apt-get update (a package has no install candidate yet)" >&2
        ors_as_root apt-get update -qq
    fi
    echo "==> installing: ${missing[*]}" >&2
    ors_as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
}

# ors_build BUILD_DIR [extra cmake args...]; with ORS_BUILD_TARGETS (names separated by spaces)
# only those targets are built.
# ccache keeps its cache outside the checkout (~/.cache/ccache), so a fresh clone in another folder
# (CI) reuses what an earlier build compiled: BASEDIR makes paths relative to the checkout and
# NOHASHDIR keeps the build folder out of the hash of -g builds.
ors_build() {
    local dir="$1"; shift
    local launcher=()
    if command -v ccache >/dev/null 2>&1 && [ "${ORS_NO_CCACHE:-}" != "1" ]; then
        export CCACHE_BASEDIR="$ORS_ROOT" CCACHE_NOHASHDIR=1 CCACHE_MAXSIZE="${CCACHE_MAXSIZE:-8G}"
        launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
    fi
    cmake -S "$ORS_ROOT" -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=Release "${launcher[@]}" "$@" >&2
    # shellcheck disable=SC2086 # the target names are meant to split
    cmake --build "$dir" ${ORS_BUILD_TARGETS:+--target $ORS_BUILD_TARGETS} >&2
}
