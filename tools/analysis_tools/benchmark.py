"""Inference and training speed of a hoverse model, per component, and peak memory.

Usage:
    python tools/analysis_tools/benchmark.py CONFIG [CKPT] --batch-size 1 --num-iters 20
    python tools/analysis_tools/benchmark.py CONFIG --mode train --batch-size 8 \
        [--device cuda] [--amp] [--profile DIR]

Inference times one ``predict`` call of the model, and within it (forward hooks, the
model's own code path) the backbone, D-BFAM, CFSM, the MANO head (including the MANO layer),
the object head and the rest (post-processing), after warm-up. Training
times a full iteration from the config's train dataloader (default workers): waiting for
data, forward, backward and the optimiser step; within the forward, each component, the
MANO layer, the target collection and each loss term; and within the step the backbone's
forward (hooks) and backward (from the first gradient reaching one of its outputs to the
end of the backward: :class:`BackboneBackwardMark`). ``overhead_over_backbone`` is the
median over iterations of everything else in the step over the backbone's forward and
backward in that same step, so the machine's changes in speed cancel (``overhead_range``
gives its spread, ``step_backbone_ms`` each iteration's step, backbone forward and
backward); the backbone timed alone on the last batch checks the split. On a GPU every
time is taken after ``torch.cuda.synchronize()`` and the peak GPU memory is reported.
``--profile DIR`` writes a ``torch.profiler`` trace of a few iterations (open it in
Perfetto or chrome://tracing; docs/benchmarks.md says how to read it). Prints a table,
writes JSON (``--out``).
"""
import argparse
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
        modules = [getattr(model, n, None) for n in names]
        params = [p for m in modules if m is not None for p in m.parameters()]
        self._sync = torch.cuda.synchronize if params and params[0].is_cuda else None
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


#: forward-time parts of a train step timed by hooks (model attribute paths)
TRAIN_PARTS = ('backbone', 'dbfam', 'cfsm', 'mano_head', 'mano_head.mano', 'object_head',
               'seg_head', 'cls_head')


def _module(model, path: str):
    for name in path.split('.'):
        model = getattr(model, name, None)
        if model is None:
            return None
    return model


class _Modules:
    """Attribute access by dotted path, for :class:`ComponentTimer`."""

    def __init__(self, model, paths) -> None:
        for p in paths:
            setattr(self, p, _module(model, p))


def _autocast(device: str, amp: bool):
    import contextlib

    import torch
    if not amp:
        return contextlib.nullcontext()
    bf16 = device == 'cpu' or torch.cuda.is_bf16_supported()
    return torch.autocast(device, dtype=torch.bfloat16 if bf16 else torch.float16)


def backbone_pass(model, inputs, device: str, amp: bool) -> float:
    """Seconds of one forward and backward of the backbone alone on ``inputs``; its
    gradients are cleared afterwards."""
    import torch
    sync = torch.cuda.synchronize if device == 'cuda' else (lambda: None)
    sync()
    t0 = time.perf_counter()
    with _autocast(device, amp):
        out = model.backbone(inputs)
    loss = sum(v.float().mean() for v in out.values() if torch.is_tensor(v))
    loss.backward()
    sync()
    seconds = time.perf_counter() - t0
    model.zero_grad(set_to_none=True)
    return seconds


def backbone_fwd_bwd(model, inputs, iters: int, device: str, amp: bool) -> float:
    """Median seconds of the backbone's forward and backward alone on ``inputs`` (after one
    untimed pass)."""
    backbone_pass(model, inputs, device, amp)
    return _median([backbone_pass(model, inputs, device, amp) for _ in range(iters)])


class BackboneBackwardMark:
    """When a training step's backward pass reaches the backbone: the first moment a
    gradient arrives at one of its outputs (after a device synchronisation on a GPU).

    From there to the end of the backward is the backbone's backward. Work on other parts
    that autograd still runs after that moment is counted with the backbone, so the
    overhead is, if anything, underestimated; the backbone's forward and backward timed
    alone on the same batch (``backbone_fwd_bwd``) checks the split.
    """

    def __init__(self, backbone, sync) -> None:
        self.first = None
        self._sync = sync
        self._handle = backbone.register_forward_hook(self._watch_outputs)

    def _watch_outputs(self, module, args, out) -> None:
        import torch
        outs = out.values() if isinstance(out, dict) else (
            out if isinstance(out, (tuple, list)) else (out, ))
        for t in outs:
            if torch.is_tensor(t) and t.requires_grad:
                t.register_hook(self._arrived)

    def _arrived(self, grad) -> None:
        if self.first is None:
            self._sync()
            self.first = time.perf_counter()

    def reset(self) -> None:
        self.first = None

    def remove(self) -> None:
        self._handle.remove()


def bench_train(cfg, model, iters: int, warmup: int, device: str = 'cpu', amp: bool = False,
                profile_dir: str = None) -> Dict:
    import torch
    from mmengine.optim import build_optim_wrapper
    from mmengine.runner import Runner

    from hoverse.models.reconstructors.hand_object_reconstructor import LOSS_ORDER
    loader = Runner.build_dataloader(cfg.train_dataloader, seed=0)
    optim = build_optim_wrapper(model, cfg.optim_wrapper)
    model.train()
    sync = torch.cuda.synchronize if device == 'cuda' else (lambda: None)
    losses_mods = {f'loss:{head}.{name}': m for head in ('mano_head', 'object_head',
                                                         'interaction_head', 'seg_head',
                                                         'cls_head')
                   for name, m in getattr(_module(model, head), 'losses', {}).items()}
    parts = [p for p in TRAIN_PARTS if _module(model, p) is not None]
    holder = _Modules(model, parts)
    for k, m in losses_mods.items():
        setattr(holder, k, m)
    names = parts + list(losses_mods)
    rows = {k: [] for k in ('data', 'forward', 'backward', 'step', 'total')}
    comp = {k: [] for k in names + ['targets']}
    # the heads gather their ground truth from the samples (``targets``): timed together
    spent = {'targets': 0.0}
    gatherers = {h: getattr(h, 'targets') for h in model.heads(LOSS_ORDER)
                 if hasattr(h, 'targets')}

    def timed(gather):
        def wrapper(*a, **k):
            sync()
            t = time.perf_counter()
            out = gather(*a, **k)
            sync()
            spent['targets'] += time.perf_counter() - t
            return out
        return wrapper

    for h, gather in gatherers.items():
        h.targets = timed(gather)
    it_loader = iter(loader)
    prof = None
    if profile_dir:
        from torch.profiler import ProfilerActivity, profile, schedule, tensorboard_trace_handler
        acts = [ProfilerActivity.CPU] + ([ProfilerActivity.CUDA] if device == 'cuda' else [])
        prof = profile(activities=acts, schedule=schedule(wait=0, warmup=1, active=2, repeat=1),
                       on_trace_ready=tensorboard_trace_handler(profile_dir), record_shapes=True)
        prof.start()
    last_data = None
    mark = BackboneBackwardMark(model.backbone, sync)
    in_step = []  # per iteration: (step, backbone forward, backbone backward) seconds
    try:
        with ComponentTimer(holder, names) as timer:
            for it in range(warmup + iters):
                sync()
                t0 = time.perf_counter()
                batch = next(it_loader)
                t1 = time.perf_counter()
                timer.reset()
                mark.reset()
                spent['targets'] = 0.0
                data = model.data_preprocessor(batch, True)
                with _autocast(device, amp):
                    losses = model(**data, mode='loss')
                loss, _ = model.parse_losses(losses)
                sync()
                t2 = time.perf_counter()
                optim.optimizer.zero_grad()
                loss.backward()
                sync()
                t3 = time.perf_counter()
                optim.step()
                sync()
                t4 = time.perf_counter()
                last_data = data
                if prof is not None:
                    prof.step()
                if it >= warmup:
                    for k, v in zip(rows, (t1 - t0, t2 - t1, t3 - t2, t4 - t3, t4 - t0)):
                        rows[k].append(v)
                    for k in names:
                        comp[k].append(timer.last.get(k, 0.0))
                    comp['targets'].append(spent['targets'])
                    bb_bwd = t3 - mark.first if mark.first is not None else 0.0
                    in_step.append((t4 - t1, timer.last.get('backbone', 0.0), bb_bwd))
    finally:
        for h in gatherers:
            del h.targets  # the class's method again
        mark.remove()
        if prof is not None:
            prof.stop()
    ms = {k: sum(v) / len(v) * 1000 for k, v in rows.items()}
    forward_ms = {k: sum(v) / len(v) * 1000 for k, v in comp.items()}
    ratios = [(st - f - b) / (f + b) for st, f, b in in_step]
    bb_alone = backbone_fwd_bwd(model, last_data['inputs'], max(2, iters // 2), device, amp)
    step_ms = ms['forward'] + ms['backward'] + ms['step']
    batch_size = cfg.train_dataloader.batch_size
    out = dict(ms_per_iter=ms, forward_ms=forward_ms,
               backbone_in_step_ms=_median([f + b for _, f, b in in_step]) * 1000,
               backbone_fwd_bwd_ms=bb_alone * 1000,
               overhead_over_backbone=_median(ratios),
               overhead_range=[min(ratios), max(ratios)],
               step_backbone_ms=[[x * 1000 for x in row] for row in in_step],
               data_share=ms['data'] / ms['total'],
               images_per_s=batch_size * 1000 / ms['total'],
               step_images_per_s=batch_size * 1000 / step_ms,
               workers_rss_gib=children_rss_gib(), batch_size=batch_size,
               num_workers=cfg.train_dataloader.num_workers, device=device, amp=amp)
    if device == 'cuda':
        out['peak_gpu_mem_gib'] = torch.cuda.max_memory_allocated() / 1024**3
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('config')
    parser.add_argument('checkpoint', nargs='?')
    parser.add_argument('--mode', choices=['inference', 'train', 'both'], default='inference')
    parser.add_argument('--batch-size', type=int, default=1)
    parser.add_argument('--num-iters', type=int, default=20)
    parser.add_argument('--warmup', type=int, default=3)
    parser.add_argument('--threads', type=int, default=0, help='torch threads (0: default)')
    parser.add_argument('--device', choices=['cpu', 'cuda'], default=None,
                        help='default: cuda when available')
    parser.add_argument('--amp', action='store_true',
                        help='autocast: bf16 on CPUs and Ampere+ GPUs, else fp16')
    parser.add_argument('--profile', metavar='DIR',
                        help='write a torch.profiler trace of two training iterations here')
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
    from hoverse.utils.config import resolve_dataloader_workers
    resolve_dataloader_workers(cfg)
    device = args.device or ('cuda' if torch.cuda.is_available() else 'cpu')
    if device == 'cuda' and not torch.cuda.is_available():
        raise SystemExit('--device cuda: no CUDA device is available')
    model = init_model(cfg, args.checkpoint, device=device, cfg_options=ns.o or None)
    size = model.input_size
    result = dict(config=args.config, torch_threads=torch.get_num_threads(), input_size=size,
                  batch_size=args.batch_size, device=device, amp=args.amp)
    if args.mode in ('inference', 'both'):
        model.eval()
        with _autocast(device, args.amp):
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
        r = bench_train(cfg, model, args.num_iters, args.warmup, device, args.amp,
                        args.profile)
        result['train'] = r
        print(f"training, batch {args.batch_size}, {r['num_workers']} workers, {device}"
              f"{' amp' if args.amp else ''} (mean ms per iteration)")
        for k, v in r['ms_per_iter'].items():
            print(f'  {k:<12}{v:>9.1f}')
        print('  within the forward:')
        for k, v in r['forward_ms'].items():
            print(f'    {k:<36}{v:>9.2f}')
        lo, hi = r['overhead_range']
        print(f"  backbone forward + backward in the step {r['backbone_in_step_ms']:.1f} ms "
              f"(alone on the same batch {r['backbone_fwd_bwd_ms']:.1f} ms); the rest of the "
              f"step / that: {r['overhead_over_backbone'] * 100:.1f} % (median of "
              f"{args.num_iters} iterations; {lo * 100:.1f}-{hi * 100:.1f} %)")
        print(f"  data share  {r['data_share'] * 100:>8.1f} %; images/s "
              f"{r['images_per_s']:.1f} (step alone {r['step_images_per_s']:.1f})")
        if 'peak_gpu_mem_gib' in r:
            print(f"  peak GPU memory {r['peak_gpu_mem_gib']:.2f} GiB")
        print(f"  dataloader workers' resident memory {r['workers_rss_gib']:.2f} GiB")
    result['peak_rss_gib'] = peak_rss_gib()
    print(f"peak resident memory {result['peak_rss_gib']:.2f} GiB")
    if args.out:
        from hoverse.utils.json_io import write_json
        write_json(args.out, result)


if __name__ == '__main__':
    main()
