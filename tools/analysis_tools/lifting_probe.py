"""How much of the hand's articulation its 2D joints carry: PA-MPJPE of an MLP that lifts
noisy 2D joint layouts to 3D, at several 2D errors, beside the Procrustes mean.

Usage: python tools/analysis_tools/lifting_probe.py CONFIG [--errors 0 0.05 0.1]
       [--iters 3000] [--out probe.json] [--cfg-options KEY=VALUE ...]

``--errors``: mean 2D joint errors as fractions of the hand's 2D extent (a model's
``hand/kpt2d_error`` over the hand's extent in the crop). Reads the config's training and
test annotations (no images); see ``hoverse.analysis.lifting_probe``.
"""
import argparse


def main() -> None:
    from mmengine.config import Config, DictAction
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('config')
    parser.add_argument('--errors', type=float, nargs='+', default=[0.0, 0.05, 0.1])
    parser.add_argument('--iters', type=int, default=3000, help='probe training steps')
    parser.add_argument('--out', help='write the result to this JSON file')
    parser.add_argument('--cfg-options', nargs='+', action=DictAction)
    args = parser.parse_args()
    if any(e < 0 for e in args.errors) or args.iters < 1:
        parser.error('--errors must be >= 0 and --iters >= 1')

    from hoverse.datasets.annotation_sets import build_annotation_sets
    from hoverse.analysis.lifting_probe import as_rows, run_lifting_probe
    from hoverse.utils import merge_cfg_options
    cfg = Config.fromfile(args.config)
    merge_cfg_options(cfg, args.cfg_options)
    sets = build_annotation_sets(cfg)  # annotations only
    out = run_lifting_probe(sets['train'], sets['test'], args.errors, args.iters)
    for row in as_rows(out):
        print(row)
    if args.out:
        from hoverse.utils.json_io import write_json
        write_json(args.out, out)


if __name__ == '__main__':
    main()
