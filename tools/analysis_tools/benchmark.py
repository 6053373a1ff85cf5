"""Inference and training speed of a hoverse model, per component, and peak memory.

Usage:
    python tools/analysis_tools/benchmark.py CONFIG [CKPT] --batch-size 1 --num-iters 20
    python tools/analysis_tools/benchmark.py CONFIG --mode train --batch-size 8

Inference times one ``predict`` call of the model, and within it (forward hooks, the
model's own code path) the backbone, D-BFAM, CFSM, the MANO head (including the MANO layer),
the object head and the rest (post-processing), after warm-up. Training
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


class ComponentTimer:
    """Times named submodules of a model through forward pre/post hooks, so the model's
    own ``forward`` runs unchanged (synchronising CUDA around each when on a GPU).

    ``with ComponentTimer(model, names) as timer: model(...)``; ``timer.last`` holds the
    seconds of each component in the last call (0 for a component the model lacks).
    """

    def __init__(self, model, names) -> None:
        import torch
        self.names, self.last, self._start, self._handles = names, {}, {}, []
        self._sync = torch.cuda.synchronize if next(model.parameters()).is_cuda else None
        for name in names:
            module = getattr(model, name, None)
            if module is None:
                continue
            self._handles.append(module.register_forward_pre_hook(self._pre(name)))
            self._handles.append(module.register_forward_hook(self._post(name)))

    def _now(self) -> float:
        if self._sync is not None:
            self._sync()
        return time.perf_counter()

    def _pre(self, name):
        def hook(module, args):
            self._start[name] = self._now()
        return hook

    def _post(self, name):
        def hook(module, args, out):
            self.last[name] = self.last.get(name, 0.0) + self._now() - self._start[name]
        return hook

    def reset(self) -> None:
        self.last = {k: 0.0 for k in self.names}

    def __enter__(self) -> 'ComponentTimer':
        return self

    def __exit__(self, *exc) -> None:
        for h in self._handles:
            h.remove()


def bench_inference(model, batch: int, size: int, iters: int, warmup: int) -> Dict:
    """Per-image medians (ms) of each component of one ``predict`` call, timed by hooks
    on the model's own forward; ``postprocess`` is the rest of the call."""
    import torch

    from hoverse.structures import HandObjectDataSample
    x = torch.rand(batch, 3, size, size) * 255
    K = torch.tensor([[size * 2.0, 0, size / 2], [0, size * 2.0, size / 2], [0, 0, 1]])
    samples = [HandObjectDataSample(metainfo=dict(cam_K=K.numpy(), cam_rot=torch.eye(3).numpy()))
               for _ in range(batch)]
    times = {k: [] for k in COMPONENTS + ('total', )}
    parts = COMPONENTS[:5]
    with torch.no_grad(), ComponentTimer(model, parts) as timer:
        for it in range(warmup + iters):
            data = model.data_preprocessor(dict(inputs=list(x.to(torch.uint8)),
                                                data_samples=samples), False)
            timer.reset()
            t0 = timer._now()
            model(data['inputs'], data['data_samples'], mode='predict')
            full = timer._now() - t0
            if it < warmup:
                continue
            for k in parts:
                times[k].append(timer.last[k])
            times['postprocess'].append(max(full - sum(timer.last.values()), 0.0))
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
