#!/bin/sh
# Render a local HTML file to a PNG with headless Chromium (Debian package `chromium`).
#
# Usage: scripts/screenshot.sh HTML_FILE PNG_FILE [WIDTHxHEIGHT]
#
# No network: QUIC, background networking, component updates and sync are off, and a fresh
# throw-away profile is used for each call. The window defaults to 1280x4000 CSS pixels.
set -eu

if [ "$#" -lt 2 ] || [ "$#" -gt 3 ]; then
    echo "usage: $0 HTML_FILE PNG_FILE [WIDTHxHEIGHT]" >&2
    exit 2
fi

html_file=$1
png_file=$2
size=${3:-1280x4000}
window_size=$(printf '%s' "$size" | tr 'x' ',')

if [ ! -f "$html_file" ]; then
    echo "$0: no such file: $html_file" >&2
    exit 1
fi

browser=""
for candidate in chromium chromium-browser google-chrome; do
    if command -v "$candidate" >/dev/null 2>&1; then
        browser=$candidate
        break
    fi
done
if [ -z "$browser" ]; then
    echo "$0: chromium not found (apt-get install -y chromium fonts-wqy-microhei)" >&2
    exit 1
fi

html_abs=$(cd "$(dirname "$html_file")" && pwd)/$(basename "$html_file")
png_dir=$(cd "$(dirname "$png_file")" && pwd)
png_abs=$png_dir/$(basename "$png_file")

profile_dir=$(mktemp -d)
trap 'rm -rf "$profile_dir"' EXIT INT TERM

"$browser" \
    --headless \
    --no-sandbox \
    --disable-gpu \
    --disable-quic \
    --no-first-run \
    --disable-background-networking \
    --disable-component-update \
    --disable-sync \
    --hide-scrollbars \
    --user-data-dir="$profile_dir" \
    --screenshot="$png_abs" \
    --window-size="$window_size" \
    "file://$html_abs" >/dev/null 2>&1 || true

if [ ! -s "$png_abs" ]; then
    echo "$0: chromium wrote no screenshot to $png_abs" >&2
    exit 1
fi
echo "$png_abs"
