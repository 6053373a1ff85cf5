"""Collect a run's scores into a results record, and render docs/results.md from the records.

Usage:
    python tools/analysis_tools/results_page.py add docs/results/NAME.json --title TITLE
        --config CONFIG --data TEXT --machine TEXT --command CMD [--command CMD ...]
        --table "TITLE=SCORES[,BASELINE]" [--table ...]
        [--compare "TITLE=LABEL:SCORES,LABEL:SCORES[,...]" ...] [--note TEXT] [--order N]
    python tools/analysis_tools/results_page.py render [--records docs/results]
        [--out docs/results.md] [--check]

SCORES and BASELINE are the files the tools wrote: ``scores.json`` (tools/test.py),
``baselines.json`` (baselines.py), HO3D's ``scores.txt`` (eval_ho3d.py), the Dex-YCB
scorer's JSON (eval_dexycb.py); ``FILE#KEY`` reads the scores under KEY
(physical_fit_check.py's ``without``, ``with_fit``, ``ground_truth``). A ``--compare``
table puts several columns of scores on the same samples side by side. ``render --check``
fails when the page differs from what the records give (the page was edited by hand, or a
record was added without rendering).
"""
import argparse
import os.path as osp
import sys
import time


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest='cmd', required=True)
    add = sub.add_parser('add', help='write a record from a run\'s score files')
    add.add_argument('record')
    add.add_argument('--title', required=True)
    add.add_argument('--config', required=True)
    add.add_argument('--data', required=True, help='what the run trained and tested on')
    add.add_argument('--machine', required=True)
    add.add_argument('--command', action='append', required=True,
                     help='a command of the run, in order')
    add.add_argument('--table', action='append', default=[],
                     help='TITLE=SCORES_FILE[,BASELINE_FILE]')
    add.add_argument('--compare', action='append', default=[],
                     help='TITLE=LABEL:SCORES_FILE,LABEL:SCORES_FILE[,...]')
    add.add_argument('--note', help='what the numbers can and cannot show')
    add.add_argument('--order', type=int, default=100, help='position on the page')
    render = sub.add_parser('render', help='write docs/results.md from the records')
    render.add_argument('--records', default='docs/results')
    render.add_argument('--out', default='docs/results.md')
    render.add_argument('--check', action='store_true',
                        help='only compare the page with the records')
    args = parser.parse_args()
    from hoverse.analysis.results_page import (load_records, make_comparison, make_table,
                                               render_page)
    from hoverse.utils.json_io import write_json
    if args.cmd == 'add':
        if not osp.isfile(args.config):
            raise SystemExit(f'config {args.config!r} does not exist')
        tables = []
        for spec in args.table:
            title, sep, files = spec.partition('=')
            if not sep or not files:
                raise SystemExit(f'--table {spec!r}: expected TITLE=SCORES_FILE[,BASELINE_FILE]')
            try:
                tables.append(make_table(title, *files.split(',', 1)))
            except (FileNotFoundError, ValueError) as e:
                raise SystemExit(f'--table {title!r}: {e}')
        for spec in args.compare:
            title, sep, cols = spec.partition('=')
            columns = [c.partition(':')[::2] for c in cols.split(',')]
            if not sep or not all(label and path for label, path in columns):
                raise SystemExit(f'--compare {spec!r}: expected '
                                 f'TITLE=LABEL:SCORES_FILE,LABEL:SCORES_FILE[,...]')
            try:
                tables.append(make_comparison(title, columns))
            except (FileNotFoundError, ValueError) as e:
                raise SystemExit(f'--compare {title!r}: {e}')
        if not tables:
            raise SystemExit('add: give at least one --table or --compare')
        write_json(args.record, dict(
            title=args.title, config=args.config, data=args.data, machine=args.machine,
            date=time.strftime('%Y-%m-%d'), commands=args.command, tables=tables,
            note=args.note, order=args.order))
        print(f'record: {args.record}')
        return
    page = render_page(load_records(args.records))
    if args.check:
        current = open(args.out).read() if osp.isfile(args.out) else ''
        if current != page:
            sys.exit(f'{args.out} differs from the records in {args.records}: run '
                     f'python tools/analysis_tools/results_page.py render')
        print(f'{args.out} matches {args.records}')
        return
    with open(args.out, 'w') as f:
        f.write(page)
    print(f'page: {args.out}')


if __name__ == '__main__':
    main()
