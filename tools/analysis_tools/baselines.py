"""Trivial baselines beside a config's evaluation: the training split's mean hand pose at the
true root and each object's mean training rotation, scored on the test (or validation) split.

Usage: python tools/analysis_tools/baselines.py CONFIG [--split test|val]
       [--out baselines.json] [--submission DIR] [--cfg-options KEY=VALUE ...]

``--submission DIR`` also writes the mean hand as an HO3D submission (``pred.json``,
``pred.zip``) for the split, where the hand's ground truth is hidden (HO3D's evaluation
split): ``eval_ho3d.py`` scores it beside the model's.

Prints ``baseline/hand_rr_mpjpe``, ``baseline/hand_pa_mpjpe`` (mm),
``baseline/object_rot_error`` and ``baseline/object_rot_error_median`` (degrees); see
``hoverse.analysis.baselines`` for the definitions.
"""
import argparse
import json


def main() -> None:
    from mmengine.config import Config, DictAction
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('config')
    parser.add_argument('--split', choices=['test', 'val'], default='test')
    parser.add_argument('--out', help='write the baselines to this JSON file')
    parser.add_argument('--submission', help='write the mean-hand HO3D submission here')
    parser.add_argument('--cfg-options', nargs='+', action=DictAction)
    args = parser.parse_args()

    from hoverse.datasets.annotation_sets import build_annotation_sets
    from hoverse.analysis.baselines import (compute_baselines, fit_baselines,
                                            write_mean_hand_submission)
    from hoverse.utils import merge_cfg_options
    cfg = Config.fromfile(args.config)
    merge_cfg_options(cfg, args.cfg_options)
    sets = build_annotation_sets(cfg, ('train', args.split))  # annotations only
    out = compute_baselines(sets['train'], sets[args.split],
                            cfg.model.get('object_models_root'))
    if args.submission:
        fit = fit_baselines(sets['train'], getattr(sets['train'], 'mano_path', None))
        print('mean-hand submission:', *write_mean_hand_submission(
            fit, sets[args.split], args.submission))
    print(json.dumps(out, indent=1))
    if args.out:
        from hoverse.utils.json_io import write_json
        write_json(args.out, out)


if __name__ == '__main__':
    main()
