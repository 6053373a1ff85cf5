#!/usr/bin/env bash
# The learning check of a synthetic config: render its set if missing, train, evaluate on
# the held-out split, score the trivial baselines on the same split, draw the curves.
# Usage: bash tools/misc/learning_check.sh CONFIG [WORKERS] [NUM_TRAIN] [TRAIN_ARGS...]
# TRAIN_ARGS go to tools/train.py only, e.g. on a CPU with bf16 arithmetic:
#   ... CONFIG 2 5000 --amp --cfg-options train_cfg.max_iters=3200
set -euo pipefail
CONFIG=$1
WORKERS=${2:-2}
NUM_TRAIN=${3:-5000}
shift $(( $# < 3 ? $# : 3 ))
PY=${PYTHON:-python3}
NAME=$(basename "$CONFIG" .py)
WORK=${WORK_DIR:-work_dirs/$NAME}
ROOT=$($PY -c "from mmengine.config import Config; print(Config.fromfile('$CONFIG').data_root)")
export PYOPENGL_PLATFORM=${PYOPENGL_PLATFORM:-egl}
[ -f data/mano/MANO_RIGHT.pkl ] || $PY tools/misc/make_surrogate_mano.py data/mano
if [ ! -f "$ROOT/evaluation_xyz.json" ]; then
    $PY tools/misc/make_synthetic_dataset.py "$ROOT" --mano data/mano --num-train "$NUM_TRAIN" \
        --num-val 300 --num-eval 100 --num-workers "$WORKERS"
fi
start=$(date +%s)
$PY tools/train.py "$CONFIG" --work-dir "$WORK" "$@"
echo "[check] training took $(( $(date +%s) - start )) s"
last=$(cat "$WORK/last_checkpoint")
$PY tools/test.py "$CONFIG" "$last" --work-dir "$WORK/test"
$PY tools/analysis_tools/baselines.py "$CONFIG" --out "$WORK/test/baselines.json"
$PY tools/analysis_tools/analyze_logs.py plot_curve "$WORK" --out "$WORK/curves.png"
