"""How good a model's object coordinate map is on held-out samples, and what limits the
rotation read from it by PnP: the map, the mask, or the solve.

Usage: python tools/analysis_tools/coordinate_map_probe.py CONFIG CHECKPOINT [--num 300]
       [--batch-size 16] [--out probe.json] [--cfg-options KEY=VALUE ...]

The config's model must have a coordinate branch (``object_head.coord_map``); the test
split is read with its masks. Prints the medians per object (see
``hoverse.analysis.coordinate_map_probe``).
"""
import argparse


def main() -> None:
    from mmengine.config import DictAction
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('config')
    parser.add_argument('checkpoint')
    parser.add_argument('--num', type=int, default=300, help='samples, from the first')
    parser.add_argument('--batch-size', type=int, default=16)
    parser.add_argument('--out', help='write the summary and the rows to this JSON file')
    parser.add_argument('--cfg-options', nargs='+', action=DictAction)
    args = parser.parse_args()
    if args.num < 1 or args.batch_size < 1:
        parser.error('--num and --batch-size must be >= 1')

    import torch
    from mmengine.dataset import pseudo_collate

    from hoverse.apis import init_model
    from hoverse.analysis.coordinate_map_probe import (PROBE_FIELDS, probe_batch,
                                                       summarise_probe)
    from hoverse.registry import DATASETS
    model = init_model(args.config, args.checkpoint, cfg_options=args.cfg_options)
    data_cfg = model.cfg.test_dataloader.dataset.copy()
    data_cfg.pipeline = [dict(t, with_mask=True) if t['type'] == 'LoadImage' else t
                         for t in data_cfg.pipeline]
    dataset = DATASETS.build(data_cfg)
    num = min(args.num, len(dataset))
    rows = []
    with torch.no_grad():
        for start in range(0, num, args.batch_size):
            stop = min(start + args.batch_size, num)
            batch = pseudo_collate([dataset[i] for i in range(start, stop)])
            rows += probe_batch(model, model.data_preprocessor(batch, False))
    summary = summarise_probe(rows)
    print(f'{"object":<12}{"n":>5}' + ''.join(f'{k:>15}' for k in PROBE_FIELDS))
    for name in sorted(k for k in summary if k != 'all') + ['all']:
        e = summary[name]
        print(f'{name:<12}{e["count"]:>5}' + ''.join(f'{e[k]:>15.3f}' for k in PROBE_FIELDS))
    if args.out:
        from hoverse.utils.json_io import write_json
        write_json(args.out, dict(summary=summary, rows=rows))


if __name__ == '__main__':
    main()
