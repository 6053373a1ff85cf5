"""Learning curves from a work dir's mmengine logs (``<run>/vis_data/scalars.json``)."""
import glob
import json
import os.path as osp
from typing import Dict, List, Optional, Sequence, Tuple

Series = Dict[str, Tuple[List[int], List[float]]]


def find_scalar_logs(work_dir: str) -> List[str]:
    """Every run's ``scalars.json`` under ``work_dir`` (oldest first)."""
    found = sorted(glob.glob(osp.join(work_dir, '*', 'vis_data', 'scalars.json')))
    if not found:
        raise FileNotFoundError(f'no */vis_data/scalars.json under {work_dir!r}: is it the '
                                'work dir of a training run (tools/train.py --work-dir)?')
    return found


def read_scalars(paths: Sequence[str]) -> Tuple[Series, Series]:
    """``(train, val)``: key -> (iterations, values). Training lines carry ``iter``;
    validation lines only a ``step`` (mmengine's logger writes the epoch there, 0 in
    iteration-based runs), so they are placed at the last training iteration before them."""
    train: Series = {}
    val: Series = {}
    last_iter = None
    for path in paths:
        with open(path) as f:
            for line in f:
                line = line.strip()
                if not line:
                    continue
                try:
                    rec = json.loads(line)
                except json.JSONDecodeError:
                    continue  # a line cut by a killed run
                if 'iter' in rec:
                    it, dst = int(rec['iter']), train
                    last_iter = it
                elif 'step' in rec:
                    it, dst = (last_iter if last_iter is not None else int(rec['step'])), val
                else:
                    continue
                for k, v in rec.items():
                    if k in ('iter', 'step', 'epoch') or not isinstance(v, (int, float)):
                        continue
                    xs, ys = dst.setdefault(k, ([], []))
                    xs.append(it)
                    ys.append(float(v))
    return train, val


def plot_learning_curves(work_dir: str, out_file: str, keys: Optional[Sequence[str]] = None,
                         val_keys: Optional[Sequence[str]] = None) -> str:
    """Draw each training loss (``loss*`` by default, one panel each, log scale) and each
    validation metric (``val_keys``, default the hand/object errors present) into a PNG."""
    import matplotlib
    matplotlib.use('Agg')
    import matplotlib.pyplot as plt
    train, val = read_scalars(find_scalar_logs(work_dir))
    keys = list(keys or sorted(k for k in train if k.startswith('loss')))
    if not keys:
        raise ValueError(f'no training losses logged under {work_dir!r}')
    default_val = ('hand/pa_mpjpe', 'hand/rr_mpjpe', 'object/rot_error_median',
                   'object/center_error', 'contact/penetration_depth')
    val_keys = [k for k in (val_keys or default_val) if k in val]
    panels = keys + val_keys
    cols = 4
    rows = (len(panels) + cols - 1) // cols
    fig, axes = plt.subplots(rows, cols, figsize=(4 * cols, 2.8 * rows), squeeze=False)
    for ax, k in zip(axes.ravel(), panels):
        xs, ys = (train if k in train and k not in val_keys else val)[k]
        style = '-' if k in keys else 'o-'
        ax.plot(xs, ys, style, lw=1.2, ms=4, color='tab:blue' if k in keys else 'tab:red')
        if k in keys and min(ys) > 0:
            ax.set_yscale('log')
        ax.set_title(k + ('' if k in keys else ' (val)'), fontsize=9)
        ax.set_xlabel('iteration', fontsize=8)
        ax.tick_params(labelsize=7)
        ax.grid(alpha=0.3)
    for ax in axes.ravel()[len(panels):]:
        ax.axis('off')
    fig.suptitle(osp.basename(osp.normpath(work_dir)), fontsize=10)
    fig.tight_layout()
    fig.savefig(out_file, dpi=90)
    plt.close(fig)
    return out_file
