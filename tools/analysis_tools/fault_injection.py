"""Kill training at every file operation of checkpoint saving, resume, compare.

For each ``--keep`` (``max_keep_ckpts``), a reference run of the toy config
(`tests/data/configs/toy_train.py`, 8 iterations, checkpoints at 4 and 8, best checkpoint
by validation) logs every checkpoint file operation (temporary file, sync, rename, delete of
``*.pth`` and ``last_checkpoint``). Then, for each operation N, a run is SIGKILLed just before
N, ``tools/train.py --resume`` continues it, and the final weights must equal the reference
run's bit for bit (deterministic CPU training).

Usage: python tools/analysis_tools/fault_injection.py [--keep 1 3] [--points N ...]
       [--out results.json]
"""
import argparse
import os
import os.path as osp
import subprocess
import sys
import tempfile

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
CONFIG = osp.join(ROOT, 'tests', 'data', 'configs', 'toy_train.py')
PLUGINS = osp.join(ROOT, 'tests', 'data', 'plugins')


def _train(work_dir: str, keep: int, env: dict, resume: bool = False):
    cmd = [sys.executable, osp.join(ROOT, 'tools', 'train.py'), CONFIG, '--work-dir', work_dir]
    cmd += ['--resume'] if resume else []
    cmd += ['--cfg-options', 'randomness.deterministic=True',
            f'default_hooks.checkpoint.max_keep_ckpts={keep}']
    full_env = dict(os.environ, PYTHONPATH=os.pathsep.join(
        [PLUGINS, os.environ.get('PYTHONPATH', '')]), OMP_NUM_THREADS='1', **env)
    return subprocess.run(cmd, cwd=ROOT, env=full_env, capture_output=True, text=True)


def _weights(path: str):
    from hoverse.engine import safe_load_checkpoint
    return safe_load_checkpoint(path, map_location='cpu')['state_dict']


def _same(a, b) -> bool:
    import torch
    return a.keys() == b.keys() and all(torch.equal(a[k], b[k]) for k in a)


def sweep(keep: int, points=None, root: str = None) -> dict:
    """Kill points and outcomes for one ``max_keep_ckpts``."""
    root = root or tempfile.mkdtemp(prefix=f'hoverse_faults_keep{keep}_')
    log = osp.join(root, 'events.log')
    ref = _train(osp.join(root, 'reference'), keep, {'HOVERSE_FAULT_LOG': log})
    if ref.returncode != 0:
        raise RuntimeError(f'reference run failed:\n{ref.stderr[-3000:]}')
    events = open(log).read().splitlines()
    reference = _weights(osp.join(root, 'reference', 'iter_8.pth'))
    rows = []
    for n in points or range(1, len(events) + 1):
        work = osp.join(root, f'kill_{n}')
        killed = _train(work, keep, {'HOVERSE_FAULT_KILL_AT': str(n)})
        resumed = _train(work, keep, {}, resume=True)
        final = osp.join(work, 'iter_8.pth')
        ok = (killed.returncode == -9 and resumed.returncode == 0 and osp.isfile(final)
              and _same(_weights(final), reference))
        note = [line for line in resumed.stdout.splitlines() if line.startswith('[resume]')]
        rows.append(dict(point=n, operation=events[n - 1].split(' ', 1)[1],
                         killed=killed.returncode == -9, resumed_ok=ok,
                         resume_note=note[0] if note else resumed.stderr[-300:]))
    return dict(keep=keep, operations=len(events), tested=len(rows),
                identical=sum(r['resumed_ok'] for r in rows), rows=rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--keep', type=int, nargs='+', default=[1, 3])
    parser.add_argument('--points', type=int, nargs='+', help='operations to kill at '
                        '(default: every one)')
    parser.add_argument('--out', help='write the results as JSON here')
    args = parser.parse_args()
    results = [sweep(k, args.points) for k in args.keep]
    for r in results:
        print(f"max_keep_ckpts={r['keep']}: {r['operations']} checkpoint file operations, "
              f"{r['tested']} kill points, {r['identical']} resumed to the uninterrupted "
              'weights')
        for row in r['rows']:
            if not row['resumed_ok']:
                print(f"  FAILED at {row['point']} ({row['operation']}): {row['resume_note']}")
    if args.out:
        from hoverse.utils.json_io import write_json
        write_json(args.out, results)
    if any(r['identical'] != r['tested'] for r in results):
        sys.exit(1)


if __name__ == '__main__':
    main()
