"""Write docs/model_zoo.md from training work dirs (their logs, scores.json and baselines):
config, test data, iterations, training time, hardware, metrics beside the trivial
baselines, checkpoint file name and hash. No number on the page is typed.

Usage: python tools/misc/model_zoo.py WORK_DIR [WORK_DIR ...] [--out docs/model_zoo.md]
"""
import argparse


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('work_dirs', nargs='+')
    parser.add_argument('--out', default='docs/model_zoo.md')
    args = parser.parse_args()
    from hoverse.analysis.model_zoo import render_zoo, zoo_rows
    try:
        page = render_zoo(zoo_rows(args.work_dirs))
    except (FileNotFoundError, ValueError, KeyError) as e:
        raise SystemExit(f'error: {e}')
    with open(args.out, 'w') as f:
        f.write(page)
    print(f'page: {args.out}')


if __name__ == '__main__':
    main()
