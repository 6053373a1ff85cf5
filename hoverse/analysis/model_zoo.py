"""docs/model_zoo.md rows from training work dirs: what each checkpoint is, how it was
trained and how it scores, read from the files the tools wrote (the training log,
``scores.json``, the baselines), never typed."""
import glob
import json
import os.path as osp
import re
import time
from typing import Dict, List, Optional, Sequence

from hoverse.analysis.baselines import METRIC_BASELINES

#: the metrics of a zoo row (each beside its trivial baseline where one exists)
ZOO_METRICS = ('hand/pa_mpjpe', 'hand/rr_mpjpe', 'object/rot_error_median',
               'object/center_error')
_STAMP = re.compile(r'^(\d{4}/\d\d/\d\d \d\d:\d\d:\d\d) - mmengine')
_ITER = re.compile(r'Iter\(train\) \[\s*(\d+)/(\d+)\]')
_EPOCH = re.compile(r'Epoch\(train\)\s+\[(\d+)\]')


def _stamp(line: str) -> Optional[float]:
    m = _STAMP.match(line)
    return time.mktime(time.strptime(m.group(1), '%Y/%m/%d %H:%M:%S')) if m else None


def read_training_log(work_dir: str) -> Dict:
    """From the newest training log under ``work_dir``: ``iterations`` (or ``epochs``),
    ``train_seconds`` (wall time from its first to its last line) and ``hardware``.

    Raises:
        FileNotFoundError: no log of a training run in ``work_dir``.
    """
    for path in sorted(glob.glob(osp.join(work_dir, '*', '*.log')), reverse=True):
        lines = open(path, errors='replace').read().splitlines()
        if not any(_ITER.search(s) or _EPOCH.search(s) for s in lines):
            continue
        out: Dict = dict(log=osp.relpath(path, work_dir))
        iters = [(int(m.group(1)), int(m.group(2))) for m in map(_ITER.search, lines) if m]
        epochs = [int(m.group(1)) for m in map(_EPOCH.search, lines) if m]
        if iters:
            out['iterations'] = iters[-1][0]
        elif epochs:
            out['epochs'] = epochs[-1]
        stamps = [t for t in map(_stamp, lines) if t is not None]
        out['train_seconds'] = stamps[-1] - stamps[0] if len(stamps) > 1 else None
        text = '\n'.join(lines)
        gpus = re.findall(r'^\s+GPU [\d,]+: (.+)$', text, re.M)
        procs = re.search(r'GPU number: (\d+)', text)
        n = int(procs.group(1)) if procs else 1
        if 'CUDA available: True' in text and gpus:
            out['hardware'] = f'{n} x {gpus[0].strip()}'
        else:
            out['hardware'] = f'CPU, {n} process' + ('es' if n > 1 else '')
        return out
    raise FileNotFoundError(f'no training log (Iter(train) or Epoch(train) lines) under '
                            f'{work_dir!r}')


def find_scores(work_dir: str) -> str:
    """The work dir's ``scores.json`` (tools/test.py's; the quickstart's is in ``test/``)."""
    for path in (osp.join(work_dir, 'scores.json'), osp.join(work_dir, 'test', 'scores.json')):
        if osp.isfile(path):
            return path
    raise FileNotFoundError(f'no scores.json in {work_dir!r} (run tools/test.py on its '
                            'checkpoint first)')


def zoo_row(work_dir: str) -> Dict:
    """One model-zoo row of ``work_dir``: config, test data, training length, time and
    hardware, the metrics beside their baselines (``baseline/*`` keys of the scores, or a
    ``baselines_test.json`` beside them), checkpoint file and sha256."""
    scores_path = find_scores(work_dir)
    with open(scores_path) as f:
        scores = json.load(f)
    baselines = {k: v for k, v in scores.items() if k.startswith('baseline/')}
    extra = osp.join(work_dir, 'baselines_test.json')
    if osp.isfile(extra):
        with open(extra) as f:
            baselines.update(json.load(f))
    of = {m: b for m, b, _ in METRIC_BASELINES}
    return dict(work_dir=osp.basename(osp.normpath(work_dir)),
                config=scores.get('meta/config'), data=scores.get('meta/test_data'),
                hand_model=scores.get('meta/hand_model'),
                checkpoint=scores.get('meta/checkpoint'),
                sha256=scores.get('meta/checkpoint_sha256'),
                metrics={m: (scores.get(m), baselines.get(of.get(m, ''))) for m in ZOO_METRICS},
                **read_training_log(work_dir))


def _num(v: Optional[float]) -> str:
    return '' if v is None else f'{v:.1f}'


def render_zoo(rows: Sequence[Dict]) -> str:
    """The model-zoo page: one table row per work dir (model | trivial baseline)."""
    head = ['config', 'test data', 'training', 'hardware'] + \
        [f'{m} (model / baseline)' for m in ZOO_METRICS] + ['checkpoint (sha256)']
    lines = ['# Model zoo', '',
             'Every row is read from a training work dir by `tools/misc/model_zoo.py` (its '
             'log, `scores.json` and baselines); regenerate the page, never edit it. '
             'Errors in mm, rotations in degrees; each metric beside its trivial baseline '
             '(`docs/metrics.md`). A hand model marked surrogate is not MANO: its numbers '
             'check the code path, not the method.', '',
             '| ' + ' | '.join(head) + ' |', '|' + '---|' * len(head)]
    for r in rows:
        length = f"{r['iterations']} iterations" if 'iterations' in r else \
            f"{r.get('epochs')} epochs"
        if r.get('train_seconds'):
            length += f", {r['train_seconds'] / 60:.0f} min"
        cells = [f"`{r['config']}`", f"{r['data']} ({r['hand_model']})", length,
                 r['hardware']]
        cells += [f'{_num(m)} / {_num(b)}' for m, b in r['metrics'].values()]
        cells.append(f"`{r['checkpoint']}` ({(r['sha256'] or '')[:8]})")
        lines.append('| ' + ' | '.join(cells) + ' |')
    return '\n'.join(lines) + '\n'


def zoo_rows(work_dirs: Sequence[str]) -> List[Dict]:
    """:func:`zoo_row` of each work dir, in order."""
    return [zoo_row(w) for w in work_dirs]
