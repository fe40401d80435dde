#!/usr/bin/env bash
# The .deb as a user gets it: the desktop file and metainfo validate, `cpack -G DEB` builds the
# package from this build directory, it names the Qt plugin packages Qt loads at run time, holds
# the programs, icons, desktop integration and systemd units, and its programs answer --version
# when unpacked into an empty root.
#   deb.sh SOURCE_DIR BUILD_DIR VERSION
set -euo pipefail
SRC="$1" BUILD="$2" VERSION="$3"
APP_ID=io.github.openresync.OpenReSync
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

desktop-file-validate "$SRC/packaging/$APP_ID.desktop" || fail "desktop-file-validate"
appstreamcli validate --no-net "$SRC/packaging/$APP_ID.metainfo.xml" || fail "appstreamcli validate"
grep -q "<release version=\"$VERSION\"" "$SRC/packaging/$APP_ID.metainfo.xml" ||
    fail "the metainfo has no release $VERSION (the project's version)"

# Into a folder of its own, so the build directory is left as it was.
cpack -G DEB --config "$BUILD/CPackConfig.cmake" -B "$WORK/out" >"$WORK/cpack.log" 2>&1 ||
    { cat "$WORK/cpack.log" >&2; fail "cpack -G DEB"; }
DEB="$(echo "$WORK"/out/openresync_"$VERSION"_*.deb)"
[ -f "$DEB" ] || fail "no openresync_${VERSION}_*.deb in $(ls "$WORK/out")"

DEPENDS="$(dpkg-deb -f "$DEB" Depends)"
echo "Depends: $DEPENDS"
for pkg in libqt6sql6-sqlite libqt6sql6-mysql libqt6sql6-psql qt6-qpa-plugins libqt6svg6 libqt6core6 libsqlite3-0; do
    [[ ", $DEPENDS," == *", $pkg"[\ ,]* ]] || fail "Depends lacks $pkg"
done
for field in Maintainer Description Section Homepage; do
    [ -n "$(dpkg-deb -f "$DEB" "$field")" ] || fail "no $field"
done

dpkg-deb -c "$DEB" | awk '{print $6}' | sed 's|^\./|/|' >"$WORK/files"
for f in /usr/bin/openresync /usr/bin/openresync-cli /usr/bin/reso-sample-server \
    /usr/share/applications/$APP_ID.desktop /usr/share/metainfo/$APP_ID.metainfo.xml \
    /usr/share/icons/hicolor/scalable/apps/$APP_ID.svg \
    /usr/share/icons/hicolor/16x16/apps/$APP_ID.png /usr/share/icons/hicolor/256x256/apps/$APP_ID.png \
    /usr/share/icons/hicolor/scalable/status/$APP_ID-idle.svg \
    /usr/share/icons/hicolor/scalable/status/$APP_ID-syncing.svg \
    /usr/share/icons/hicolor/scalable/status/$APP_ID-problem.svg \
    /usr/lib/systemd/user/openresync.service /usr/lib/systemd/system/openresync@.service \
    /usr/share/doc/openresync/user-guide.md /usr/share/doc/openresync/examples/trestle.json; do
    grep -qx "$f" "$WORK/files" || fail "the package lacks $f"
done
# The library is for `cmake --install`, not for the program's package.
! grep -q "libopenresync_core.a\|/usr/include/" "$WORK/files" || fail "the package carries the library"

ROOT="$WORK/root"
dpkg-deb -x "$DEB" "$ROOT"
# The units start the packaged CLI, wherever the build was configured to install.
grep -qx "ExecStart=/usr/bin/openresync-cli serve" "$ROOT/usr/lib/systemd/user/openresync.service" ||
    fail "openresync.service does not start /usr/bin/openresync-cli"
# No display: the window program must answer --version before it needs one.
for program in openresync openresync-cli reso-sample-server; do
    out="$(env -u DISPLAY -u WAYLAND_DISPLAY -u QT_QPA_PLATFORM "$ROOT/usr/bin/$program" --version)" ||
        fail "$program --version failed"
    echo "$out"
    [[ "$out" == *"$program"*"$VERSION"* ]] || fail "$program --version printed \"$out\""
done
echo "PASS: $(basename "$DEB"), $(wc -l <"$WORK/files") entries"
