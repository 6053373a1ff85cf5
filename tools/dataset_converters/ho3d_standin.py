"""Write an HO3D v2 or v3 stand-in: synthetic scenes in HO3D's own tree and formats, with
the YCB-layout object models and the MANO model beside it, so that the HO3D configs run on
it unchanged (docs/reproduce.md).

Usage: python tools/dataset_converters/ho3d_standin.py OUT [--version v2|v3]
           [--size tiny|standard] [--frames N --val-frames N --eval-frames N]
           [--mano data/mano] [--workers 2] [--seed 0]

OUT gets the ``data/`` layout the configs read: ``OUT/HO3D_v2`` (or ``HO3D_v3``),
``OUT/YCB_models`` and ``OUT/mano``. Run the tools with OUT's parent as the working
directory and OUT named ``data`` (or link ``data/HO3D_v2`` to it), e.g.
    python tools/dataset_converters/ho3d_standin.py /tmp/run/data
    cd /tmp/run && python $HOVERSE/tools/train.py $HOVERSE/configs/hoverse/hoverse_r50_ho3dv2.py
"""
import argparse
import json


def main() -> None:
    from hoverse.synthesis.official.ho3d_standin import SIZES
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('out')
    parser.add_argument('--version', choices=['v2', 'v3'], default='v2')
    parser.add_argument('--size', choices=sorted(SIZES), default='standard',
                        help='sequences and frames: ' + '; '.join(
                            f'{k}: ' + ', '.join(f'{a} {b}' for a, b in v.items())
                            for k, v in SIZES.items()))
    parser.add_argument('--frames', type=int, help='frames per training sequence')
    parser.add_argument('--val-frames', type=int,
                        help='frames per held-out (validation) training sequence')
    parser.add_argument('--eval-frames', type=int, help='frames per evaluation sequence')
    parser.add_argument('--mano', default='data/mano', help='MANO model file or folder')
    parser.add_argument('--workers', type=int, default=2, help='rendering processes')
    parser.add_argument('--seed', type=int, default=0)
    args = parser.parse_args()
    import os
    os.environ.setdefault('PYOPENGL_PLATFORM', 'egl')
    from hoverse.synthesis.official.ho3d_standin import (EVAL_SEQUENCES, TRAIN_SEQUENCES,
                                                         copy_mano, write_ho3d_standin)
    size = SIZES[args.size]
    try:
        copy_mano(args.out, args.mano)
        stats = write_ho3d_standin(
            args.out, args.mano, args.version, args.frames or size['frames'],
            args.val_frames or size['val_frames'], args.eval_frames or size['eval_frames'],
            train_sequences=TRAIN_SEQUENCES[:size['sequences']],
            eval_sequences=EVAL_SEQUENCES[:size['eval_sequences']], seed=args.seed,
            workers=args.workers)
    except (FileNotFoundError, ValueError) as e:
        raise SystemExit(f'error: {e}')
    print(json.dumps(stats, indent=1))


if __name__ == '__main__':
    main()
