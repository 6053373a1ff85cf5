#!/usr/bin/env bash
# Set up hoverse on a fresh machine: .venv, pinned requirements, the package (editable),
# and Debian's EGL libraries for offscreen rendering. Safe to re-run: when nothing changed
# since the last successful run it returns in well under a second.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=${HOVERSE_VENV:-.venv}
PY=${PYTHON:-python3}
STAMP="$VENV/.hoverse-setup-stamp"
# every library the offscreen renderer loads (hoverse/visualization/renderer_check.py)
EGL_PKGS="libegl1 libegl-mesa0 libgl1-mesa-dri libgl1 libopengl0 libglu1-mesa"

fingerprint() {
    cat requirements/runtime.txt requirements/tests.txt requirements/optional.txt \
        requirements/detect.txt setup.cfg \
        setup.py tools/setup_env.sh \
        | sha256sum | cut -d' ' -f1
}

egl_missing() {
    local missing=""
    for p in $EGL_PKGS; do
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
"$VENV/bin/python" - <<'PY'
import torch
assert torch.__version__.startswith('2.13.0'), f'unexpected torch {torch.__version__}'
import hoverse  # noqa: F401
print(f'[setup] torch {torch.__version__}, hoverse {hoverse.__version__}')
PY
fingerprint > "$STAMP"
echo "[setup] done"
