"""Training throughput of several configs, each with and without mixed precision, in one
table: the GPU rows of docs/benchmarks.md from one command.

Usage:
    python tools/analysis_tools/benchmark_matrix.py --device cuda --batch-size 32 \
        --out work_dirs/benchmark_matrix.json [--configs CFG ...] [--num-iters 20] \
        [--cfg-options key=value ...]

Each (config, AMP on/off) pair runs ``benchmark.py --mode train`` in a fresh process, so
that every row's peak memory is its own, with the config's own dataloader workers. A row
gives images/s for the whole iteration and for the step alone (forward, backward and
optimiser, no data wait), the share of the iteration spent waiting for data, the rest of
the step over the backbone's forward and backward, and the peak GPU memory (on a GPU) or
the peak resident memory (on the CPU). ``amp_speedup`` is each config's AMP images/s over
its fp32 images/s, both from this one run. The JSON is rewritten after every row, so an
interrupted run keeps the rows it finished; a failing row records its error and the others
still run (the exit status is then 1).
"""
import argparse
import json
import os
import os.path as osp
import subprocess
import sys
import tempfile
from typing import Dict, List, Optional

#: the issue's pair: the quickstart model and the full model at its own crop size
DEFAULT_CONFIGS = ('configs/hoverse_plus/hoverse_plus_r18_synthetic.py',
                   'configs/hoverse/hoverse_r50_synthetic.py')
BENCHMARK = osp.join(osp.dirname(osp.abspath(__file__)), 'benchmark.py')


def run_case(config: str, amp: bool, args: argparse.Namespace) -> Dict:
    """One ``benchmark.py --mode train`` run in a fresh process; its ``train`` results plus
    the case's name, or ``error`` (the last lines of its output) when it failed."""
    row = dict(config=config, amp=amp)
    with tempfile.TemporaryDirectory() as tmp:
        out = osp.join(tmp, 'row.json')
        cmd = [sys.executable, BENCHMARK, config, '--mode', 'train', '--batch-size',
               str(args.batch_size), '--num-iters', str(args.num_iters), '--warmup',
               str(args.warmup), '--device', args.device, '--out', out]
        if amp:
            cmd.append('--amp')
        if args.cfg_options:
            cmd += ['--cfg-options', *args.cfg_options]
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=args.timeout)
        if proc.returncode != 0 or not osp.exists(out):
            tail = (proc.stdout + proc.stderr).strip().splitlines()[-15:]
            row['error'] = '\n'.join(tail) or f'exit status {proc.returncode}'
            return row
        with open(out) as f:
            result = json.load(f)
    train = result['train']
    row.update(input_size=result['input_size'], batch_size=train['batch_size'],
               num_workers=train['num_workers'], images_per_s=train['images_per_s'],
               step_images_per_s=train['step_images_per_s'], data_share=train['data_share'],
               overhead_over_backbone=train['overhead_over_backbone'],
               ms_per_iter=train['ms_per_iter'], peak_rss_gib=result['peak_rss_gib'],
               peak_gpu_mem_gib=train.get('peak_gpu_mem_gib'))
    return row


def amp_speedups(rows: List[Dict]) -> Dict[str, float]:
    """Per config: images/s with AMP over images/s without, where both rows succeeded."""
    by = {(r['config'], r['amp']): r for r in rows if 'error' not in r}
    return {cfg: by[(cfg, True)]['images_per_s'] / by[(cfg, False)]['images_per_s']
            for cfg, amp in by if amp and (cfg, False) in by}


def markdown_table(rows: List[Dict], device: str) -> str:
    """The rows as a markdown table (memory: GPU peak on a GPU, else resident peak)."""
    mem = 'peak GPU memory (GiB)' if device == 'cuda' else 'peak resident memory (GiB)'
    lines = [f'| config | crop | batch | workers | AMP | images/s | step alone, images/s | '
             f'data share | rest of step / backbone | {mem} |',
             '|---|---|---|---|---|---|---|---|---|---|']
    for r in rows:
        name = osp.splitext(osp.basename(r['config']))[0]
        if 'error' in r:
            lines.append(f"| {name} | | | | {'on' if r['amp'] else 'off'} | failed: "
                         f"{r['error'].splitlines()[-1][:80]} | | | | |")
            continue
        m = r['peak_gpu_mem_gib'] if device == 'cuda' else r['peak_rss_gib']
        lines.append(
            f"| {name} | {r['input_size']} | {r['batch_size']} | {r['num_workers']} | "
            f"{'on' if r['amp'] else 'off'} | {r['images_per_s']:.1f} | "
            f"{r['step_images_per_s']:.1f} | {r['data_share'] * 100:.1f} % | "
            f"{r['overhead_over_backbone'] * 100:.1f} % | "
            f"{'' if m is None else f'{m:.2f}'} |")
    return '\n'.join(lines)


def write_report(path: Optional[str], rows: List[Dict], args: argparse.Namespace) -> None:
    """Write the rows so far (and the AMP speed-ups) as JSON; the parent folder is made."""
    if not path:
        return
    from hoverse.utils.json_io import write_json
    write_json(path, dict(device=args.device, batch_size=args.batch_size,
                          num_iters=args.num_iters, rows=rows, amp_speedup=amp_speedups(rows)))


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--configs', nargs='+', default=list(DEFAULT_CONFIGS))
    parser.add_argument('--device', choices=['cpu', 'cuda'], default=None,
                        help='default: cuda when available')
    parser.add_argument('--batch-size', type=int, default=32)
    parser.add_argument('--num-iters', type=int, default=20)
    parser.add_argument('--warmup', type=int, default=3)
    parser.add_argument('--no-amp', action='store_true', help='only the fp32 rows')
    parser.add_argument('--timeout', type=float, default=1800, help='seconds per row')
    parser.add_argument('--out', help='write the rows as JSON here (after every row)')
    parser.add_argument('--cfg-options', nargs='+', default=[],
                        help='key=value overrides passed to every row')
    args = parser.parse_args(argv)
    for cfg in args.configs:
        if not osp.isfile(cfg):
            parser.error(f'--configs: no config file {cfg!r}')
    if args.batch_size < 1 or args.num_iters < 1 or args.warmup < 0:
        parser.error('--batch-size and --num-iters must be >= 1 and --warmup >= 0')
    if args.device is None:
        import torch
        args.device = 'cuda' if torch.cuda.is_available() else 'cpu'
    return args


def main(argv=None) -> int:
    args = parse_args(argv)
    os.environ.setdefault('PYOPENGL_PLATFORM', 'egl')
    rows: List[Dict] = []
    for config in args.configs:
        for amp in (False, ) if args.no_amp else (False, True):
            print(f"{config}, AMP {'on' if amp else 'off'} ...", flush=True)
            rows.append(run_case(config, amp, args))
            if 'error' in rows[-1]:
                print(f"  failed:\n{rows[-1]['error']}", file=sys.stderr)
            write_report(args.out, rows, args)
    print(markdown_table(rows, args.device))
    for cfg, s in amp_speedups(rows).items():
        print(f'AMP speed-up, {osp.basename(cfg)}: {s:.2f}x')
    return 1 if any('error' in r for r in rows) else 0


if __name__ == '__main__':
    sys.exit(main())
