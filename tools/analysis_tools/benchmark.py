"""Inference and training speed of a hoverse model, per component, and peak memory.

Usage:
    python tools/analysis_tools/benchmark.py CONFIG [CKPT] --batch-size 1 --num-iters 20
    python tools/analysis_tools/benchmark.py CONFIG --mode train --batch-size 8

Inference times the backbone, D-BFAM, CFSM, the MANO head (including the MANO layer), the
object head and the post-processing of ``predict`` separately, after warm-up. Training
times a full iteration from the config's train dataloader (default workers): waiting for
data, forward, backward and the optimiser step. Prints a table, writes JSON (``--out``).
"""
import argparse
import json
import os
import os.path as osp
import resource
import time
from typing import Dict, List


COMPONENTS = ('backbone', 'dbfam', 'cfsm', 'mano_head', 'object_head', 'postprocess')


def peak_rss_gib() -> float:
    """Peak resident memory of this process so far (GiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2


def children_rss_gib() -> float:
    """Current resident memory of this process's children (dataloader workers), GiB; Linux
    only (0 elsewhere)."""
    me, total = os.getpid(), 0
    for pid in filter(str.isdigit, os.listdir('/proc') if osp.isdir('/proc') else []):
        try:
            with open(f'/proc/{pid}/status') as f:
                status = dict(line.split(':', 1) for line in f if ':' in line)
            if int(status['PPid']) == me:
                total += int(status['VmRSS'].split()[0])
        except (OSError, KeyError, ValueError):
            continue
    return total / 1024**2


def _median(xs: List[float]) -> float:
    xs = sorted(xs)
    return xs[len(xs) // 2]


def bench_inference(model, batch: int, size: int, iters: int, warmup: int) -> Dict:
    import torch

    from hoverse.structures import HandObjectDataSample
    x = torch.rand(batch, 3, size, size) * 255
    K = torch.tensor([[size * 2.0, 0, size / 2], [0, size * 2.0, size / 2], [0, 0, 1]])
    samples = [HandObjectDataSample(metainfo=dict(cam_K=K.numpy(), cam_rot=torch.eye(3).numpy()))
               for _ in range(batch)]
    times = {k: [] for k in COMPONENTS + ('total', )}
    with torch.no_grad():
        for it in range(warmup + iters):
            t = [time.perf_counter()]
            data = model.data_preprocessor(dict(inputs=list(x.to(torch.uint8)),
                                                data_samples=samples), False)
            inputs = data['inputs']
            t0 = time.perf_counter()
            feats = model.backbone(inputs)
            t.append(time.perf_counter())
            if model.dbfam is not None:
                feats = model.dbfam(feats, float(size))
            t.append(time.perf_counter())
            if model.cfsm is not None:
                feats = model.cfsm(feats, float(size))
            t.append(time.perf_counter())
            hand = model.mano_head(feats, K.expand(batch, 3, 3), float(size))
            t.append(time.perf_counter())
            model.object_head(feats, hand['rotmats'][:, 0], float(size))
            t.append(time.perf_counter())
            t_full = time.perf_counter()
            model(inputs, data['data_samples'], mode='predict')
            full = time.perf_counter() - t_full
            if it < warmup:
                continue
            parts = [b - a for a, b in zip([t0] + t[1:-1], t[1:])]
            for k, v in zip(COMPONENTS[:5], parts):
                times[k].append(v)
            times['postprocess'].append(max(full - sum(parts), 0.0))
            times['total'].append(full)
    ms = {k: _median(v) * 1000 / batch for k, v in times.items()}
    after = sum(ms[k] for k in COMPONENTS[1:])
    return dict(ms_per_image=ms, images_per_s=1000 / ms['total'],
                post_backbone_over_backbone=after / ms['backbone'])


def bench_train(cfg, model, iters: int, warmup: int) -> Dict:
    from mmengine.optim import build_optim_wrapper
    from mmengine.runner import Runner
    loader = Runner.build_dataloader(cfg.train_dataloader, seed=0)
    optim = build_optim_wrapper(model, cfg.optim_wrapper)
    model.train()
    rows = {k: [] for k in ('data', 'forward', 'backward', 'step', 'total')}
    it_loader = iter(loader)
    for it in range(warmup + iters):
        t0 = time.perf_counter()
        batch = next(it_loader)
        t1 = time.perf_counter()
        data = model.data_preprocessor(batch, True)
        losses = model(**data, mode='loss')
        loss, _ = model.parse_losses(losses)
        t2 = time.perf_counter()
        optim.optimizer.zero_grad()
        loss.backward()
        t3 = time.perf_counter()
        optim.step()
        t4 = time.perf_counter()
        if it >= warmup:
            for k, v in zip(rows, (t1 - t0, t2 - t1, t3 - t2, t4 - t3, t4 - t0)):
                rows[k].append(v)
    ms = {k: sum(v) / len(v) * 1000 for k, v in rows.items()}
    return dict(ms_per_iter=ms, data_share=ms['data'] / ms['total'],
                workers_rss_gib=children_rss_gib(),
                batch_size=cfg.train_dataloader.batch_size,
                num_workers=cfg.train_dataloader.num_workers)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('config')
    parser.add_argument('checkpoint', nargs='?')
    parser.add_argument('--mode', choices=['inference', 'train', 'both'], default='inference')
    parser.add_argument('--batch-size', type=int, default=1)
    parser.add_argument('--num-iters', type=int, default=20)
    parser.add_argument('--warmup', type=int, default=3)
    parser.add_argument('--threads', type=int, default=0, help='torch threads (0: default)')
    parser.add_argument('--out', help='write the results as JSON here')
    parser.add_argument('--cfg-options', nargs='+', default=[],
                        help='key=value overrides (e.g. model.mano_head.mano.model_path=DIR)')
    args = parser.parse_args()
    os.environ.setdefault('PYOPENGL_PLATFORM', 'egl')
    import torch
    from mmengine.config import Config, DictAction

    from hoverse.apis import init_model
    if args.threads:
        torch.set_num_threads(args.threads)
    ns = argparse.Namespace()
    DictAction(option_strings=[], dest='o')(None, ns, args.cfg_options)
    cfg = Config.fromfile(args.config)
    model = init_model(cfg, args.checkpoint, cfg_options=ns.o or None)
    size = model.input_size
    result = dict(config=args.config, torch_threads=torch.get_num_threads(), input_size=size,
                  batch_size=args.batch_size)
    if args.mode in ('inference', 'both'):
        model.eval()
        r = bench_inference(model, args.batch_size, size, args.num_iters, args.warmup)
        result['inference'] = r
        print(f'inference, batch {args.batch_size}, {size}x{size}, '
              f'{torch.get_num_threads()} threads (median ms per image)')
        for k, v in r['ms_per_image'].items():
            print(f'  {k:<12}{v:>9.2f}')
        print(f"  images/s    {r['images_per_s']:>9.2f}\n  after the backbone / backbone: "
              f"{r['post_backbone_over_backbone'] * 100:.1f} %")
    if args.mode in ('train', 'both'):
        cfg.train_dataloader.batch_size = args.batch_size
        if ns.o:
            cfg.merge_from_dict(ns.o)
        r = bench_train(cfg, model, args.num_iters, args.warmup)
        result['train'] = r
        print(f"training, batch {args.batch_size}, {r['num_workers']} workers (mean ms per "
              'iteration)')
        for k, v in r['ms_per_iter'].items():
            print(f'  {k:<12}{v:>9.1f}')
        print(f"  data share  {r['data_share'] * 100:>8.1f} %")
        print(f"  dataloader workers' resident memory {r['workers_rss_gib']:.2f} GiB")
    result['peak_rss_gib'] = peak_rss_gib()
    print(f"peak resident memory {result['peak_rss_gib']:.2f} GiB")
    if args.out:
        os.makedirs(osp.dirname(osp.abspath(args.out)), exist_ok=True)
        with open(args.out, 'w') as f:
            json.dump(result, f, indent=1)


if __name__ == '__main__':
    main()
