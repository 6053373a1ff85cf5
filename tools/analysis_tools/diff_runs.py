"""Whether two training runs are the same run: their checkpoints' tensors compared by name and
their ``scores.json`` metrics compared to the digit.

Usage: python tools/analysis_tools/diff_runs.py WORK_DIR_A WORK_DIR_B
       [--checkpoint iter_600.pth] [--scores test/scores.json]

Meant for refactors: CPU training is deterministic with the config's seed, so a refactor
that changes no computation gives bitwise-equal weights and equal scores. Exit status 0 when
both are equal, 1 otherwise (the differing tensors and metrics are listed).
"""
import argparse
import json
import os.path as osp
import sys
from typing import Dict, List, Tuple


def diff_state_dicts(a: dict, b: dict) -> Tuple[List[str], List[str], List[str]]:
    """(names only in ``a``, names only in ``b``, names whose tensors differ in shape, dtype
    or any value)."""
    import torch
    only_a = sorted(set(a) - set(b))
    only_b = sorted(set(b) - set(a))
    differ = sorted(k for k in set(a) & set(b)
                    if not (a[k].shape == b[k].shape and a[k].dtype == b[k].dtype
                            and torch.equal(a[k], b[k])))
    return only_a, only_b, differ


def diff_scores(a: Dict[str, object], b: Dict[str, object],
                ignore: Tuple[str, ...] = ('time', 'data_time')
                ) -> List[Tuple[str, object, object]]:
    """(key, value in a, value in b) of every metric that differs; timings and the
    ``meta/`` provenance (checkpoint hash, date, paths) left out."""
    keys = sorted(k for k in set(a) | set(b) if k not in ignore and not k.startswith('meta/'))
    return [(k, a.get(k), b.get(k)) for k in keys if a.get(k) != b.get(k)]


def load_state_dict(path: str) -> dict:
    from hoverse.engine import safe_load_checkpoint
    if not osp.isfile(path):
        raise FileNotFoundError(f'checkpoint {path} does not exist')
    ckpt = safe_load_checkpoint(path, map_location='cpu')
    return ckpt.get('state_dict', ckpt)


def main(argv: List[str] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('work_dir_a')
    parser.add_argument('work_dir_b')
    parser.add_argument('--checkpoint', default='iter_600.pth',
                        help='checkpoint file name inside each work dir')
    parser.add_argument('--scores', default='test/scores.json',
                        help='scores file inside each work dir ("" to skip)')
    args = parser.parse_args(argv)
    same = True
    sa, sb = (load_state_dict(osp.join(w, args.checkpoint))
              for w in (args.work_dir_a, args.work_dir_b))
    only_a, only_b, differ = diff_state_dicts(sa, sb)
    print(f'checkpoint {args.checkpoint}: {len(sa)} / {len(sb)} tensors, '
          f'{len(only_a)} only in A, {len(only_b)} only in B, {len(differ)} differ')
    for name in (only_a + only_b + differ)[:20]:
        print(f'  {name}')
    same &= not (only_a or only_b or differ)
    if args.scores:
        scores = []
        for w in (args.work_dir_a, args.work_dir_b):
            path = osp.join(w, args.scores)
            if not osp.isfile(path):
                raise FileNotFoundError(f'scores file {path} does not exist')
            with open(path) as f:
                scores.append(json.load(f))
        rows = diff_scores(*scores)
        print(f'{args.scores}: {len(rows)} metrics differ')
        for key, va, vb in rows:
            print(f'  {key:<36} {va!s:>22} {vb!s:>22}')
        same &= not rows
    print('same run' if same else 'different runs')
    return 0 if same else 1


if __name__ == '__main__':
    sys.exit(main())
