"""Write a Dex-YCB stand-in: synthetic scenes in Dex-YCB's own tree and formats (subjects,
sequences, the 8 camera serials, labels, calibration, YCB-named models) with the MANO model
beside it, so that the Dex-YCB configs run on it unchanged (docs/reproduce.md).

Usage: python tools/dataset_converters/dexycb_standin.py OUT [--size tiny|standard]
           [--subjects N --sequences N --frames N] [--mano data/mano] [--workers 2]

OUT gets the ``data/`` layout the configs read: ``OUT/dex_ycb`` and ``OUT/mano``; run the
tools from OUT's parent with OUT named ``data``, as for the HO3D stand-in.
"""
import argparse
import json

#: subjects, sequences per subject, frames per sequence (the first has no hand)
SIZES = {'tiny': (3, 5, 2), 'standard': (10, 5, 11)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('out')
    parser.add_argument('--size', choices=sorted(SIZES), default='standard',
                        help='subjects, sequences per subject, frames per sequence: '
                        + ', '.join(f'{k} {v}' for k, v in SIZES.items()))
    parser.add_argument('--subjects', type=int)
    parser.add_argument('--sequences', type=int, help='sequences per subject')
    parser.add_argument('--frames', type=int, help='frames per sequence (8 cameras each)')
    parser.add_argument('--mano', default='data/mano', help='MANO model file or folder')
    parser.add_argument('--workers', type=int, default=2, help='rendering processes')
    parser.add_argument('--seed', type=int, default=0)
    args = parser.parse_args()
    import os
    os.environ.setdefault('PYOPENGL_PLATFORM', 'egl')
    from hoverse.synthesis.official.dexycb_standin import write_dexycb_standin
    from hoverse.synthesis.official.ho3d_standin import copy_mano
    subjects, sequences, frames = SIZES[args.size]
    try:
        copy_mano(args.out, args.mano)
        stats = write_dexycb_standin(args.out, args.mano, args.subjects or subjects,
                                     args.sequences or sequences, args.frames or frames,
                                     seed=args.seed, workers=args.workers)
    except (FileNotFoundError, ValueError) as e:
        raise SystemExit(f'error: {e}')
    print(json.dumps(stats, indent=1))


if __name__ == '__main__':
    main()
