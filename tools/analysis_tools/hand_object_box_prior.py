"""Measure how a dataset's hand-object boxes relate to its hand boxes: the prior that
turns a detected hand box into the crop the model expects.

Usage: python tools/analysis_tools/hand_object_box_prior.py CONFIG [--split train]
           [--max-samples N] [--out FILE]

For each ground-truth sample: the hand box (projected joints), the hand-object box
(``GetHandObjectBBox``: joints and object box corners), the side of the square centred on
the hand box that holds the hand-object box (in hand-box sides) and the centre offset.
Prints their quantiles and the prior to use (median side, median offset).
"""
import argparse


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('config')
    parser.add_argument('--split', default='train', choices=['train', 'val', 'test'])
    parser.add_argument('--max-samples', type=int, default=2000)
    parser.add_argument('--out', help='write the figures as JSON')
    parser.add_argument('--cfg-options', nargs='+', default=[],
                        help='key=value overrides, e.g. train_dataloader.dataset.data_root=DIR')
    args = parser.parse_args()
    import numpy as np
    from mmengine.config import Config
    from mmengine.registry import init_default_scope

    from hoverse.datasets.transforms import GetHandObjectBBox
    from hoverse.geometry.boxes import required_box
    from hoverse.geometry.camera import project_points
    from hoverse.registry import DATASETS
    cfg = Config.fromfile(args.config)
    if args.cfg_options:
        from mmengine.config import DictAction
        ns = argparse.Namespace()
        DictAction(option_strings=[], dest='o')(None, ns, args.cfg_options)
        cfg.merge_from_dict(ns.o)
    init_default_scope(cfg.get('default_scope', 'hoverse'))
    ds = DATASETS.build(dict(cfg[f'{args.split}_dataloader'].dataset, pipeline=[]))
    n = min(len(ds), args.max_samples)
    idx = np.linspace(0, len(ds) - 1, n).round().astype(int)
    sides, offsets = [], []
    for i in idx:
        info = ds.get_data_info(int(i))
        if info.get('joints_cam') is None:
            continue
        info.setdefault('img_shape', (1 << 20, 1 << 20))  # no clipping: the true boxes
        uv = project_points(np.asarray(info['joints_cam'], np.float64), info['cam_K'])
        hand = np.array([*uv.min(0), *uv.max(0)])
        ho = GetHandObjectBBox()(dict(info))['bbox'].astype(np.float64)
        side, off = required_box(hand, ho)
        sides.append(side)
        offsets.append(off)
    if not sides:
        raise SystemExit(f'{args.config} ({args.split}): no sample has ground-truth joints')
    sides, offsets = np.array(sides), np.array(offsets)
    q = {f'p{p}': float(np.percentile(sides, p)) for p in (10, 25, 50, 75, 90)}
    result = dict(config=args.config, split=args.split, samples=len(sides), side=q,
                  offset_median=np.median(offsets, 0).round(3).tolist(),
                  prior=dict(scale=round(q['p50'], 2),
                             offset=np.median(offsets, 0).round(2).tolist()))
    print(f'{len(sides)} samples of {args.config} ({args.split})')
    print('hand-object side / hand side: ' + '  '.join(f'{k} {v:.2f}' for k, v in q.items()))
    print(f"centre offset (hand sides), median: {result['offset_median']}")
    print(f"prior: HandObjectBoxPrior(scale={result['prior']['scale']}, "
          f"offset={tuple(result['prior']['offset'])})")
    if args.out:
        from hoverse.utils.json_io import write_json
        write_json(args.out, result)


if __name__ == '__main__':
    main()
