#!/usr/bin/env bash
# Set up hoverse on a fresh machine: .venv, pinned requirements, the package (editable),
# and Debian's EGL libraries for offscreen rendering. Safe to re-run: when nothing changed
# since the last successful run it returns in well under a second.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=${HOVERSE_VENV:-.venv}
PY=${PYTHON:-python3}
STAMP="$VENV/.hoverse-setup-stamp"
# every library the offscreen renderer loads (hoverse/visualization/renderer_check.py),
# and the browser the web demo's test drives (headless chromium and its WebDriver)
EGL_PKGS="libegl1 libegl-mesa0 libgl1-mesa-dri libgl1 libopengl0 libglu1-mesa"
BROWSER_PKGS="chromium chromium-driver"

fingerprint() {
    cat requirements/runtime.txt requirements/tests.txt requirements/optional.txt \
        requirements/detect.txt requirements/web.txt setup.cfg \
        setup.py tools/setup_env.sh \
        | sha256sum | cut -d' ' -f1
}

egl_missing() {
    local missing=""
    for p in ${1:-$EGL_PKGS}; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing="$missing $p"
    done
    echo "$missing"
}

missing=$(command -v dpkg-query >/dev/null && egl_missing || true)
if [ -n "$missing" ]; then
    if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
        echo "[setup] installing EGL libraries:$missing"
        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >/dev/null
    else
        echo "[setup] offscreen rendering needs:$missing"
        echo "[setup] run: sudo apt-get install -y$missing"
    fi
fi
# the browser the web demo's test drives: best effort (its test skips and says so without)
browser=$(command -v dpkg-query >/dev/null && egl_missing "$BROWSER_PKGS" || true)
if [ -n "$browser" ] && [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
    echo "[setup] installing the test browser:$browser"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $browser >/dev/null \
        || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
             $browser >/dev/null; } \
        || echo "[setup] could not install$browser (the browser test will skip)"
fi

if [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$(fingerprint)" ] && [ -x "$VENV/bin/python" ]; then
    echo "[setup] $VENV is up to date"
    exit 0
fi

[ -x "$VENV/bin/python" ] || { echo "[setup] creating $VENV"; "$PY" -m venv "$VENV"; }
PIP="$VENV/bin/python -m pip --disable-pip-version-check"
$PIP install -q "pip<26" "setuptools<82" wheel
# torch first and alone: the pinned CPU wheel. Everything after sees it installed.
$PIP install -q torch==2.13.0
$PIP install -q -r requirements/runtime.txt -r requirements/tests.txt
$PIP install -q --no-build-isolation --no-deps -e .
# optional extras (pybullet for the simulation metric): best effort, never fatal
$PIP install -q -r requirements/optional.txt \
    || echo "[setup] optional extras not installed (InteractionMetric(simulate=True) needs pybullet)"
# the demos' hand detector, lean: mediapipe without its declared jax / OpenCV dependencies
$PIP install -q --no-deps -r requirements/detect.txt \
    || echo "[setup] hand detector not installed (the demos then need --bbox)"
# the web demo (Gradio) and its browser test (Selenium), lean as the detector
$PIP install -q --no-deps -r requirements/web.txt \
    || echo "[setup] web demo not installed (demo/web_demo.py needs requirements/web.txt)"
"$VENV/bin/python" - <<'PY'
import torch
assert torch.__version__.startswith('2.13.0'), f'unexpected torch {torch.__version__}'
import hoverse  # noqa: F401
print(f'[setup] torch {torch.__version__}, hoverse {hoverse.__version__}')
PY
fingerprint > "$STAMP"
echo "[setup] done"
