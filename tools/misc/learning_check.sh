#!/usr/bin/env bash
# The learning check of a synthetic config: render its set if missing, train, evaluate on
# the held-out split, score the trivial baselines on the same split, draw the curves.
# Usage: bash tools/misc/learning_check.sh CONFIG [WORKERS] [NUM_TRAIN] [TRAIN_ARGS...]
# TRAIN_ARGS go to tools/train.py only, e.g. on a CPU with bf16 arithmetic:
#   ... CONFIG 2 5000 --amp --cfg-options train_cfg.max_iters=3200
# CYCLES="ITERS:LR ...": train the config's schedule once per entry (warm-up and cosine decay
# over ITERS iterations from learning rate LR, validating and saving at the midpoint and
# the end), each cycle from the last checkpoint of the one before, in WORK/cycle1, cycle2,
# ...; the last cycle's checkpoint is evaluated and each cycle's curves drawn. E.g. the
# long learnt-PnP config's 16,400-iteration recipe (docs/benchmarks.md):
#   CYCLES="3200:1e-3 3200:1e-3 2500:1e-3 2500:3e-4 2500:3e-4 2500:3e-4" \
#       bash tools/misc/learning_check.sh configs/hoverse_plus/hoverse_plus_r18_synthetic_long_patch.py \
#       2 5000 --amp
set -euo pipefail
CONFIG=$1
WORKERS=${2:-2}
NUM_TRAIN=${3:-5000}
shift $(( $# < 3 ? $# : 3 ))
PY=${PYTHON:-python3}
CYCLES=${CYCLES:-}
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
if [ -z "${CYCLES//[[:space:]]/}" ]; then  # unset, empty or blank: one run
    $PY tools/train.py "$CONFIG" --work-dir "$WORK" "$@"
    last=$(cat "$WORK/last_checkpoint")
    runs=("$WORK")
else
    for cycle in $CYCLES; do  # all checked before the first one trains
        if ! [[ $cycle =~ ^[0-9]+:[0-9.]+([eE][-+]?[0-9]+)?$ ]] || [ "${cycle%%:*}" -lt 2 ]; then
            echo "CYCLES entry '$cycle' is not ITERS:LR (ITERS >= 2, e.g. 2500:3e-4)" >&2
            exit 2
        fi
    done
    last="" n=0 runs=()
    for cycle in $CYCLES; do
        n=$(( n + 1 )) iters=${cycle%%:*} lr=${cycle#*:}
        cycle_opts=(--cfg-options "train_cfg.max_iters=$iters"
                    "train_cfg.val_interval=$(( iters / 2 ))"
                    "default_hooks.checkpoint.interval=$(( iters / 2 ))"
                    "optim_wrapper.optimizer.lr=$lr")
        [ -n "$last" ] && cycle_opts+=("load_from=$last")
        $PY tools/train.py "$CONFIG" --work-dir "$WORK/cycle$n" "$@" "${cycle_opts[@]}"
        last=$(cat "$WORK/cycle$n/last_checkpoint")
        runs+=("$WORK/cycle$n")
        echo "[check] cycle $n ($iters iterations from lr $lr) ended at $last"
    done
fi
echo "[check] training took $(( $(date +%s) - start )) s"
$PY tools/test.py "$CONFIG" "$last" --work-dir "$WORK/test"
$PY tools/analysis_tools/baselines.py "$CONFIG" --out "$WORK/test/baselines.json"
for run in "${runs[@]}"; do  # last: nothing above is lost if a run logged no losses
    $PY tools/analysis_tools/analyze_logs.py plot_curve "$run" --out "$run/curves.png"
done
