"""A markdown table of the last validation metrics of several training work dirs, beside
the trivial baselines when a baselines JSON is given.

Usage: python tools/analysis_tools/compare_runs.py WORK_DIR [WORK_DIR ...]
       [--keys hand/pa_mpjpe object/rot_error_median ...] [--baselines baselines.json]
"""
import argparse
import json
import os.path as osp

DEFAULT_KEYS = ('hand/pa_mpjpe', 'hand/rr_mpjpe', 'object/rot_error_median',
                'object/rot_error', 'object/center_error', 'object/mssd',
                'contact/penetration_depth')


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('work_dirs', nargs='+')
    parser.add_argument('--keys', nargs='+', default=list(DEFAULT_KEYS))
    parser.add_argument('--baselines', help='JSON from tools/analysis_tools/baselines.py')
    args = parser.parse_args()
    from hoverse.analysis.learning_curves import find_scalar_logs, read_scalars
    print('| run | iters | ' + ' | '.join(args.keys) + ' |')
    print('|---|---|' + '---|' * len(args.keys))
    for wd in args.work_dirs:
        train, val = read_scalars(find_scalar_logs(wd))
        it = val[args.keys[0]][0][-1] if args.keys[0] in val else '?'
        cells = [f'{val[k][1][-1]:.1f}' if k in val else 'n/a' for k in args.keys]
        print(f'| {osp.basename(osp.normpath(wd))} | {it} | ' + ' | '.join(cells) + ' |')
    if args.baselines:
        with open(args.baselines) as f:
            b = json.load(f)
        from hoverse.analysis.baselines import METRIC_BASELINES
        names = {metric: base for metric, base, _ in METRIC_BASELINES}
        cells = [f'{b[names[k]]:.1f}' if names.get(k) in b else '' for k in args.keys]
        print('| trivial baseline | | ' + ' | '.join(cells) + ' |')


if __name__ == '__main__':
    main()
