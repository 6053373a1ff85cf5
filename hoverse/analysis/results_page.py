"""docs/results.md from result records: the numbers of each documented run, read from the
files its tools wrote (``scores.json``, baselines, official scorers' outputs), never typed.

A record (``docs/results/<name>.json``) holds a run's title, config, commands, date,
machine, a note on what the data can and cannot show, and tables: each the scores of one
split, optionally beside the trivial baseline's scores on the same split, or a comparison:
several labelled columns of scores on the same samples (without and with a test-time fit,
and the ground truth's own), the second read against the first.
"""
import glob
import json
import os.path as osp
from typing import Dict, List, Optional, Sequence, Tuple

from hoverse.analysis.baselines import METRIC_BASELINES

#: the metrics a results table shows, in this order, with their units (others are kept in
#: the record but not shown)
SHOWN = (
    ('hand/pa_mpjpe', 'mm'), ('hand/rr_mpjpe', 'mm'), ('hand/mpjpe', 'mm'),
    ('hand/pa_mpvpe', 'mm'), ('hand/pa_f5', ''), ('hand/pa_f15', ''),
    ('object/center_error', 'mm'), ('object/rot_error_median', 'deg'),
    ('object/rot_error', 'deg'), ('object/add_s_auto', 'mm'), ('object/mssd', 'mm'),
    ('object/mspd', 'px'), ('contact/penetration_depth', 'mm'),
    ('contact/intersection_volume', 'cm3'), ('contact/contact_ratio', '%'),
    ('contact/sim_displacement', 'mm'), ('contact/sim_displacement_1s', 'mm'),
    # HO3D's official keys (eval_ho3d.py's scores.txt)
    ('xyz_procrustes_al_mean3d', 'cm'), ('xyz_scale_trans_al_mean3d', 'cm'),
    ('xyz_mean3d', 'cm'), ('mesh_al_mean3d', 'cm'), ('f_al_score_5', ''),
    ('f_al_score_15', ''),
    # the Dex-YCB toolkit's HPE protocol (eval_dexycb.py)
    ('procrustes/mpjpe', 'mm'), ('root-relative/mpjpe', 'mm'), ('absolute/mpjpe', 'mm'),
)
BASELINE_OF = {m: b for m, b, _ in METRIC_BASELINES}


def read_scores(path: str) -> Dict[str, float]:
    """Scores from a JSON file (flat, or nested one level as eval_dexycb.py writes:
    ``{'procrustes': {'mpjpe': ..}}`` -> ``procrustes/mpjpe``; ``FILE#KEY``: the scores
    under ``KEY``, as physical_fit_check.py's ``without``) or from HO3D's ``scores.txt``
    (``key: value`` lines)."""
    path, _, part = path.partition('#')
    if not osp.isfile(path):
        raise FileNotFoundError(f'scores file {path!r} does not exist')
    if path.endswith('.txt'):
        out = {}
        for line in open(path):
            key, sep, value = line.partition(':')
            if sep:
                try:
                    out[key.strip()] = float(value)
                except ValueError:
                    continue
        return out
    with open(path) as f:
        data = json.load(f)
    if part:
        if not isinstance(data.get(part), dict):
            raise ValueError(f'{path!r} has no scores under {part!r}')
        data = data[part]
    out = {}
    for key, value in data.items():
        if isinstance(value, dict):
            out.update({f'{key}/{k}': v for k, v in value.items()
                        if isinstance(v, (int, float))})
        elif isinstance(value, (int, float)) and not isinstance(value, bool):
            out[key] = value
    return out


def make_table(title: str, scores_path: str,
               baseline_path: Optional[str] = None) -> Dict:
    """One table of a record: the scores of ``scores_path`` (and of ``baseline_path``)."""
    table = dict(title=title, scores=read_scores(scores_path),
                 source=osp.basename(scores_path))
    if baseline_path:
        table['baseline'] = read_scores(baseline_path)
    return table


def make_comparison(title: str, columns: Sequence[Tuple[str, str]]) -> Dict:
    """A comparison table: ``columns`` as ``(label, scores path)``, at least two."""
    if len(columns) < 2:
        raise ValueError(f'a comparison needs two columns or more, got {len(columns)}')
    return dict(title=title, columns=[dict(label=label, scores=read_scores(path),
                                           source=osp.basename(path))
                                      for label, path in columns])


def render_comparison(table: Dict) -> List[str]:
    """Markdown rows: metric, each column, and the second column over the first."""
    cols = table['columns']
    labels = [c['label'] for c in cols]
    lines = [f"**{table['title']}**", '',
             '| metric | ' + ' | '.join(labels) + f' | {labels[1]} / {labels[0]} |',
             '|---|' + '---|' * (len(cols) + 1)]
    for key, unit in SHOWN:
        if key not in cols[0]['scores']:
            continue
        values = [c['scores'].get(key) for c in cols]
        ratio = f'{values[1] / values[0]:.2f}' if values[0] and values[1] is not None else ''
        lines.append(_row_start(key, unit) + ' | '.join(_fmt(v, _digits(unit)) for v in values)
                     + f' | {ratio} |')
    return lines + ['']


def _baseline_value(key: str, baseline: Dict[str, float]) -> Optional[float]:
    if key in baseline:
        return baseline[key]
    return baseline.get(BASELINE_OF.get(key, ''))


def _digits(unit: str) -> Optional[int]:
    """Decimals of a unit's values: HO3D's centimetres to the millimetre, else by size."""
    return 2 if unit == 'cm' else None


def _row_start(key: str, unit: str) -> str:
    return f'| {key}' + (f' ({unit})' if unit else '') + ' | '


def _fmt(v: Optional[float], digits: Optional[int] = None) -> str:
    if v is None:
        return ''
    if digits is not None:
        return f'{v:.{digits}f}'
    return f'{v:.3f}' if abs(v) < 1 else f'{v:.1f}'


def render_table(table: Dict) -> List[str]:
    """Markdown rows of one table: metric, model, trivial baseline, their ratio."""
    baseline = table.get('baseline')
    head = '| metric | model |' + (' trivial baseline | model / baseline |' if baseline else '')
    rule = '|---|---|' + ('---|---|' if baseline else '')
    lines = [f"**{table['title']}**", '', head, rule]
    for key, unit in SHOWN:
        if key not in table['scores']:
            continue
        v = table['scores'][key]
        digits = _digits(unit)
        row = _row_start(key, unit) + f'{_fmt(v, digits)} |'
        if baseline:
            b = _baseline_value(key, baseline)
            ratio = f'{v / b:.2f}' if b else ''
            row += f' {_fmt(b, digits)} | {ratio} |'
        lines.append(row)
    return lines + ['']


HEADER = """# Results

Every number on this page comes from a run's own files (`scores.json`, the trivial
baselines of `tools/analysis_tools/baselines.py`, the official scorers' outputs), collected
into `docs/results/*.json` by `tools/analysis_tools/results_page.py add` and rendered by
`tools/analysis_tools/results_page.py render`: edit the records' runs, never this page.
Errors in millimetres (HO3D's official keys in centimetres, as its scorer writes them),
rotations in degrees. A model's number is only evidence next to its trivial baseline on the
same split: the mean training hand pose at the true root, and each object's mean training
rotation (`docs/metrics.md`). The research history behind these runs is in
`docs/notes.md`; speed and memory in `docs/benchmarks.md`.
"""


def render_page(records: Sequence[Dict]) -> str:
    """The whole page for ``records`` (in the given order)."""
    lines = [HEADER]
    for r in records:
        lines += [f"## {r['title']}", '',
                  f"Config `{r['config']}`; {r['date']}, {r['machine']}. {r['data']}", '']
        lines += ['```shell', *r['commands'], '```', '']
        for table in r['tables']:
            lines += render_comparison(table) if 'columns' in table else render_table(table)
        if r.get('note'):
            lines += [r['note'], '']
    return '\n'.join(lines).rstrip('\n') + '\n'


def load_records(folder: str) -> List[Dict]:
    """The records of ``folder`` in the order of their ``order`` key, then name."""
    records = []
    for path in sorted(glob.glob(osp.join(folder, '*.json'))):
        with open(path) as f:
            records.append(json.load(f))
    return sorted(records, key=lambda r: r.get('order', 100))
