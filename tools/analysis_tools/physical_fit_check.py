"""The test-time hand-object fit (HandObjectFitter) on a checkpoint: every metric of the
test split without and with it, from the same checkpoint and crops, the ground truth's own
interaction metrics beside them, and the fit's cost per sample at several batch sizes.

Usage: python tools/analysis_tools/physical_fit_check.py CONFIG CKPT [--split test|val]
           [--simulate [PROTOCOL ...]] [--batch-sizes 1 32] [--fitter KEY=VALUE ...]
           [--out FILE] [--num-samples N] [--cfg-options KEY=VALUE ...]

``--simulate`` adds the simulation displacements (pybullet) to the interaction metrics:
ObMan's (``contact/sim_displacement``) and the one-second variant, or only those named.
The fitter is the config's ``model.test_cfg.physical_fit`` (else ``HandObjectFitter``),
with the ``--fitter`` arguments on top. The ground-truth column scores the annotated hand
and object with the same interaction metric: what a perfect reconstruction would get
(``hoverse.analysis.ground_truth_interaction``).
"""
import argparse
import time


def _metrics(runner) -> dict:
    return {k: float(v) for k, v in runner.test().items()}


def _cost_per_sample(model, loader, batch_sizes, fitter) -> dict:
    """Milliseconds per sample the fit adds to ``predict`` at each batch size (the same
    samples with and without it, median of three runs)."""
    import torch
    from mmengine.dataset import pseudo_collate
    items = [loader.dataset[i % len(loader.dataset)] for i in range(max(batch_sizes))]
    out = {}
    for bs in batch_sizes:
        batch = pseudo_collate(items[:bs])
        times = {}
        for label, fit in (('without', None), ('with', fitter)):
            model.physical_fit = fit
            runs = []
            for _ in range(3):
                data = model.data_preprocessor(batch, False)
                t0 = time.perf_counter()
                with torch.no_grad():
                    model(**data, mode='predict')
                runs.append(time.perf_counter() - t0)
            times[label] = sorted(runs)[1]
        out[bs] = 1000 * (times['with'] - times['without']) / bs
    model.physical_fit = fitter
    return out


def _interaction_specs(cfg) -> list:
    """The test evaluator's ``InteractionMetric`` configs."""
    metrics = cfg.test_evaluator if isinstance(cfg.test_evaluator, list) else \
        [cfg.test_evaluator]
    return [m for m in metrics if m['type'] == 'InteractionMetric']


def _ground_truth(cfg, runner) -> dict:
    """The test evaluator's ``InteractionMetric`` over the ground truth of the same samples
    (empty when the config has none or the split hides the hand)."""
    from hoverse.analysis.ground_truth_interaction import ground_truth_interaction
    from hoverse.registry import METRICS
    specs = _interaction_specs(cfg)
    if not specs:
        return {}
    scores = ground_truth_interaction(runner.test_dataloader, METRICS.build(specs[0]),
                                      runner.model.mano_head.add_gt_meshes)
    return {k: float(v) for k, v in scores.items()}


def main() -> None:
    from mmengine.config import DictAction
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('config')
    parser.add_argument('checkpoint')
    parser.add_argument('--split', choices=['test', 'val'], default='test')
    parser.add_argument('--simulate', nargs='*', metavar='PROTOCOL',
                        help='add the simulation displacements (pybullet): every protocol, '
                        'or those named (sim_displacement: ObMan\'s; sim_displacement_1s)')
    parser.add_argument('--batch-sizes', type=int, nargs='+', default=[1, 32])
    parser.add_argument('--fitter', nargs='+', action=DictAction, default={},
                        help='HandObjectFitter arguments, e.g. steps=60 w_contact=0')
    parser.add_argument('--work-dir', default='work_dirs/physical_fit_check')
    parser.add_argument('--out', help='write the figures as JSON')
    parser.add_argument('--num-samples', type=int,
                        help='only the first N samples of the split (a quick look)')
    parser.add_argument('--cfg-options', nargs='+', action=DictAction, default={})
    parser.add_argument('--allow-new-keys', action='store_true')
    args = parser.parse_args()
    from mmengine.runner import Runner

    from hoverse.engine import setup_checkpoint_io
    from hoverse.models.fitters import build_physical_fit
    from hoverse.utils import load_tool_config
    setup_checkpoint_io()
    cfg = load_tool_config(args.config, args.cfg_options, args.allow_new_keys, 'none',
                           args.work_dir)
    if args.split == 'val':
        cfg.test_dataloader, cfg.test_evaluator = cfg.val_dataloader, cfg.val_evaluator
    if args.num_samples:
        cfg.test_dataloader.dataset.indices = args.num_samples
    fit_cfg = dict(cfg.model.get('test_cfg', {}).pop('physical_fit', None)
                   or dict(type='HandObjectFitter'), **args.fitter)
    if args.simulate is not None:
        for m in _interaction_specs(cfg):
            m['simulate'] = args.simulate or True
    cfg.load_from = args.checkpoint
    runner = Runner.from_cfg(cfg)
    model = runner.model
    before = _metrics(runner)
    fitter = build_physical_fit(fit_cfg)
    model.physical_fit = fitter
    after = _metrics(runner)
    truth = _ground_truth(cfg, runner)
    cost = _cost_per_sample(model, runner.test_dataloader, args.batch_sizes, fitter)
    print(f'{"metric":34s}{"without":>12s}{"with fit":>12s}{"ratio":>8s}'
          f'{"ground truth":>14s}')
    for k in sorted(before):
        if k in after:
            b, a = before[k], after[k]
            ratio = f'{a / b:8.2f}' if b else ' ' * 8
            gt = f'{truth[k]:14.3f}' if k in truth else ''
            print(f'{k:34s}{b:12.3f}{a:12.3f}{ratio}{gt}')
    for bs, ms in cost.items():
        print(f'fit cost at batch {bs}: {ms:.1f} ms per sample')
    if args.out:
        from hoverse.utils.json_io import write_json
        write_json(args.out, dict(without=before, with_fit=after, ground_truth=truth,
                                  fitter=fit_cfg,
                                  ms_per_sample={str(k): v for k, v in cost.items()}))


if __name__ == '__main__':
    main()
