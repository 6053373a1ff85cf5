"""Train a hoverse model with the mmengine Runner.

Examples:
    python tools/train.py configs/hoverse_plus/hoverse_plus_r18_synthetic.py
    python tools/train.py CONFIG --resume                 # latest checkpoint in work_dir
    python tools/train.py CONFIG --resume work_dirs/x/iter_100.pth
    bash tools/dist_train.sh CONFIG 2                     # 2 processes (GPUs, or CPU/gloo)
"""
import argparse
import os
import os.path as osp


def parse_args() -> argparse.Namespace:
    from mmengine.config import DictAction
    parser = argparse.ArgumentParser(description='Train a hoverse model')
    parser.add_argument('config', help='train config file path')
    parser.add_argument('--work-dir', help='where logs and checkpoints go')
    parser.add_argument(
        '--resume', nargs='?', type=str, const='auto',
        help='resume from CKPT, or from the latest checkpoint in the work dir when no path '
        'is given')
    parser.add_argument('--amp', action='store_true',
                        help='mixed precision: bf16 where the device supports it (any CPU, '
                        'Ampere+ GPUs), else fp16 with dynamic loss scaling')
    parser.add_argument('--channels-last', action='store_true',
                        help='NHWC memory layout for the backbone (faster convolutions on GPUs)')
    parser.add_argument('--compile', action='store_true',
                        help='torch.compile the network (backbone, necks, decoders); data '
                        'handling and losses stay eager')
    parser.add_argument('--tensorboard', action='store_true',
                        help="also log to TensorBoard (<work_dir>/<timestamp>/vis_data): losses, "
                        'learning rate, validation metrics and a few validation pictures '
                        '(needs the tensorboard extra: pip install -r requirements/optional.txt)')
    parser.add_argument('--auto-scale-lr', action='store_true',
                        help='scale the learning rate by the total batch size')
    parser.add_argument(
        '--cfg-options', nargs='+', action=DictAction,
        help='override config entries, e.g. train_cfg.max_epochs=2; every key must already '
        'exist unless --allow-new-keys is given')
    parser.add_argument('--allow-new-keys', action='store_true',
                        help='let --cfg-options add keys that the config does not have')
    parser.add_argument('--launcher', choices=['none', 'pytorch', 'slurm'], default='none')
    parser.add_argument('--local_rank', '--local-rank', type=int, default=0)
    args = parser.parse_args()
    if 'LOCAL_RANK' not in os.environ:
        os.environ['LOCAL_RANK'] = str(args.local_rank)
    return args


def add_tensorboard(cfg, pictures_every: int = 5) -> None:
    """mmengine's TensorBoard backend beside the config's, and validation pictures (the
    first sample of every ``pictures_every``-th batch) on every validation."""
    try:
        import tensorboard  # noqa: F401
    except ImportError:
        raise SystemExit('--tensorboard needs the tensorboard package: pip install -r '
                         'requirements/optional.txt (or pip install tensorboard)') from None
    backends = list(cfg.visualizer.get('vis_backends') or [])
    if not any(b.get('type') == 'TensorboardVisBackend' for b in backends):
        backends.append(dict(type='TensorboardVisBackend'))
    cfg.visualizer.vis_backends = backends
    cfg.default_hooks.visualization.update(enable=True, interval=pictures_every)


def build_cfg(args: argparse.Namespace):
    from hoverse.utils import load_tool_config
    cfg = load_tool_config(args.config, args.cfg_options, args.allow_new_keys, args.launcher,
                           args.work_dir)

    if args.amp:
        import torch
        bf16 = not torch.cuda.is_available() or torch.cuda.is_bf16_supported()
        cfg.optim_wrapper.type = 'DeferredLogAmpOptimWrapper'
        cfg.optim_wrapper.dtype = 'bfloat16' if bf16 else 'float16'
        if not bf16:
            cfg.optim_wrapper.setdefault('loss_scale', 'dynamic')
    if args.channels_last:
        cfg.model.channels_last = True
    if args.compile:
        cfg.model.compile = True

    if args.resume == 'auto':
        # last_checkpoint if it names a complete checkpoint, else the newest complete one
        from hoverse.engine import find_resume_checkpoint
        path, note = find_resume_checkpoint(cfg.work_dir)
        print(f'[resume] {note}', flush=True)
        cfg.resume = path is not None
        cfg.load_from = path
    elif args.resume is not None:
        if not osp.isfile(args.resume):
            raise SystemExit(f'--resume checkpoint {args.resume!r} does not exist')
        cfg.resume = True
        cfg.load_from = args.resume

    if args.tensorboard:
        add_tensorboard(cfg)
    if args.auto_scale_lr:
        cfg.setdefault('auto_scale_lr', dict(base_batch_size=cfg.train_dataloader.batch_size))
        cfg.auto_scale_lr.enable = True
    return cfg


def main() -> None:
    args = parse_args()
    from hoverse.engine import init_cpu_distributed, setup_checkpoint_io
    setup_checkpoint_io()
    cfg = build_cfg(args)
    init_cpu_distributed(args.launcher)

    from mmengine.registry import RUNNERS
    from mmengine.runner import Runner

    from hoverse.engine import WorkDirBusyError, WorkDirLock
    lock = None
    if int(os.environ.get('RANK', '0')) == 0:  # one lock per run, held by its first rank
        try:
            lock = WorkDirLock(cfg.work_dir).acquire()
        except WorkDirBusyError as err:
            raise SystemExit(str(err))
    try:
        runner = Runner.from_cfg(cfg) if 'runner_type' not in cfg else RUNNERS.build(cfg)
        runner.train()
    finally:
        if lock is not None:
            lock.release()


if __name__ == '__main__':
    main()
