"""Write images of samples after the whole pipeline, with joints, skeleton and object box.

Usage: python tools/analysis_tools/browse_dataset.py CONFIG --output-dir DIR [--phase train]
"""
import argparse
import os
import os.path as osp


def main() -> None:
    from mmengine.config import Config, DictAction
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('config')
    parser.add_argument('--output-dir', required=True)
    parser.add_argument('--phase', default='train', choices=['train', 'val', 'test'])
    parser.add_argument('--num', type=int, default=20, help='how many samples to draw')
    parser.add_argument('--cfg-options', nargs='+', action=DictAction)
    args = parser.parse_args()

    import numpy as np
    from mmengine.registry import init_default_scope

    from hoverse.registry import DATASETS, VISUALIZERS
    from hoverse.utils import merge_cfg_options
    cfg = Config.fromfile(args.config)
    merge_cfg_options(cfg, args.cfg_options)
    init_default_scope(cfg.get('default_scope', 'hoverse'))
    dataset = DATASETS.build(cfg[f'{args.phase}_dataloader'].dataset)
    vis = VISUALIZERS.build(dict(type='HandObjectVisualizer', name='browse'))
    os.makedirs(args.output_dir, exist_ok=True)
    for i in range(min(args.num, len(dataset))):
        item = dataset[i]
        img = item['inputs'].numpy().transpose(1, 2, 0)
        sample = item['data_samples']
        gt = sample.gt_instances
        gt.obj_corners_2d = gt.obj_kpts_2d[:, :8]
        out = osp.join(args.output_dir, f'{i:05d}.png')
        vis.add_datasample(f'sample_{i}', np.ascontiguousarray(img), sample, draw_pred=False,
                           out_file=out)
        print(out)


if __name__ == '__main__':
    main()
