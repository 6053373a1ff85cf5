"""Evaluate a trained hoverse model and write its result files.

Examples:
    python tools/test.py CONFIG CKPT
    python tools/test.py CONFIG CKPT --out results.pkl
    python tools/test.py CONFIG CKPT --split val
    bash tools/dist_test.sh CONFIG CKPT 2

Writes ``<work_dir>/scores.json`` (``scores_val.json`` with ``--split val``: the
validation data and metrics, e.g. to score the best checkpoint where it was chosen): every
metric, and ``meta/*`` (config, checkpoint and its
sha256, test data, ``use_gt_root``, hand model, date). A benchmark's result files (HO3D's
``pred.json`` and ``pred.zip``, Dex-YCB's HPE file) go to ``<work_dir>/results`` unless the
config names another folder.
"""
import argparse
import os
import os.path as osp


def parse_args() -> argparse.Namespace:
    from mmengine.config import DictAction
    parser = argparse.ArgumentParser(description='Test (and evaluate) a hoverse model')
    parser.add_argument('config', help='test config file path')
    parser.add_argument('checkpoint', help='checkpoint file')
    parser.add_argument('--work-dir', help='where the evaluation logs go')
    parser.add_argument('--split', choices=['test', 'val'], default='test',
                        help="score the config's test data (default) or its validation data")
    parser.add_argument('--out', help='dump the raw predictions to this pickle file')
    parser.add_argument('--show-dir', help='draw predictions into this folder (in work dir)')
    parser.add_argument(
        '--cfg-options', nargs='+', action=DictAction,
        help='override config entries; every key must already exist unless --allow-new-keys')
    parser.add_argument('--allow-new-keys', action='store_true')
    parser.add_argument('--no-strict-load', action='store_true',
                        help='score a checkpoint that does not fit the config (missing, '
                        'unexpected or wrong-shaped weights) on purpose')
    parser.add_argument('--launcher', choices=['none', 'pytorch', 'slurm'], default='none')
    parser.add_argument('--local_rank', '--local-rank', type=int, default=0)
    args = parser.parse_args()
    if 'LOCAL_RANK' not in os.environ:
        os.environ['LOCAL_RANK'] = str(args.local_rank)
    return args


def route_result_files(cfg) -> None:
    """Metrics that write a benchmark's result files and name no folder write them to
    ``<work_dir>/results``."""
    evaluators = cfg.get('test_evaluator')
    for metric in evaluators if isinstance(evaluators, list) else [evaluators]:
        if metric and metric.get('result_format') and not metric.get('outfile_prefix'):
            metric['outfile_prefix'] = osp.join(cfg.work_dir, 'results')


def main() -> None:
    args = parse_args()
    from mmengine.runner import Runner

    from hoverse.engine import init_cpu_distributed, setup_checkpoint_io
    setup_checkpoint_io()
    from hoverse.utils import load_tool_config
    if not osp.isfile(args.checkpoint):
        raise SystemExit(f'checkpoint {args.checkpoint!r} does not exist')
    cfg = load_tool_config(args.config, args.cfg_options, args.allow_new_keys, args.launcher,
                           args.work_dir)
    cfg.load_from = args.checkpoint
    if args.split == 'val':
        cfg.test_dataloader, cfg.test_evaluator = cfg.val_dataloader, cfg.val_evaluator
    route_result_files(cfg)
    if args.show_dir:
        vis = cfg.default_hooks.visualization
        vis.enable = True
        vis.out_dir = args.show_dir
        vis.interval = 1
    init_cpu_distributed(args.launcher)

    runner = Runner.from_cfg(cfg)
    if not args.no_strict_load:  # a checkpoint that does not fit is refused, not scored
        from hoverse.engine import (CheckpointMismatchError, check_checkpoint_fits,
                                    safe_load_checkpoint)
        ckpt = safe_load_checkpoint(args.checkpoint, map_location='cpu')
        model = getattr(runner.model, 'module', runner.model)
        try:
            check_checkpoint_fits(model, ckpt.get('state_dict', ckpt), args.checkpoint,
                                  args.config)
        except CheckpointMismatchError as err:
            raise SystemExit(str(err))
        del ckpt
    if args.out:
        from mmengine.evaluator import DumpResults
        runner.test_evaluator.metrics.append(DumpResults(out_file_path=args.out))
    metrics = runner.test()
    if int(os.environ.get('RANK', '0')) == 0:
        from hoverse.evaluation.scores_file import scores_record
        from hoverse.utils.json_io import write_json
        model = getattr(runner.model, 'module', runner.model)
        mano = getattr(getattr(model, 'mano_head', None), 'mano', None)
        hand_model = None if mano is None else ('surrogate MANO' if mano.is_surrogate
                                                else 'MANO')
        name = 'scores.json' if args.split == 'test' else f'scores_{args.split}.json'
        path = osp.join(cfg.work_dir, name)
        write_json(path, scores_record(metrics, cfg, args.config, args.checkpoint, hand_model))
        print(f'scores: {path}', flush=True)


if __name__ == '__main__':
    main()
