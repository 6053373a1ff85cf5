"""How much the synthetic images show the object's twist (spin about its grasp axis) and
swing: the share of its pixels that change when it turns by a small angle.

Usage: python tools/analysis_tools/rotation_visibility.py [--mano data/mano]
       [--start 5000] [--num 300] [--seed 0] [--angle 20] [--out visibility.json]

Samples are composed as ``make_synthetic_dataset.py`` composes them with the same ``--seed``:
``--start 5000 --num 300`` are the long config's held-out samples (5,000 training samples,
then 300 validation). Needs the renderer (``PYOPENGL_PLATFORM=egl``); about 0.2 s a sample
on 2 CPU cores.
"""
import argparse
import os
import tempfile


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--mano', default='data/mano', help='MANO model file or folder')
    parser.add_argument('--start', type=int, default=0, help='first sample index')
    parser.add_argument('--num', type=int, default=70, help='number of samples')
    parser.add_argument('--seed', type=int, default=0)
    parser.add_argument('--image-size', type=int, default=256)
    parser.add_argument('--angle', type=float, default=20.0, help='turn in degrees')
    parser.add_argument('--out', help='write rows and summary to this JSON file')
    args = parser.parse_args()
    if args.num < 1 or args.start < 0 or not 0 < args.angle <= 180:
        parser.error('--num must be >= 1, --start >= 0 and --angle in (0, 180]')
    os.environ.setdefault('PYOPENGL_PLATFORM', 'egl')

    from hoverse.synthesis.visibility import measure_visibility, summarise_visibility
    from hoverse.hand_models.mano_layer import resolve_mano_path
    from hoverse.objects.procedural import write_procedural_objects
    resolve_mano_path(args.mano)  # a missing model fails here with its own message
    with tempfile.TemporaryDirectory() as models:
        write_procedural_objects(models)
        rows = measure_visibility(args.mano, models, range(args.start, args.start + args.num),
                                  args.seed, args.image_size, angle_deg=args.angle)
    summary = summarise_visibility(rows)
    print(f'changed share of the object pixels for a {args.angle:g}-degree turn (median), '
          '% of samples whose twist changes under 5 %')
    print(f"{'object':<8} {'n':>4} {'twist':>7} {'swing':>7} {'twist hidden %':>15}")
    for name, s in summary.items():
        print(f"{name:<8} {s['samples']:>4} {s['twist_median']:>7.3f} {s['swing_median']:>7.3f} "
              f"{s['twist_invisible_pct']:>15.1f}")
    if args.out:
        from hoverse.utils.json_io import write_json
        write_json(args.out, dict(angle_deg=args.angle, seed=args.seed, rows=rows,
                                  summary=summary))


if __name__ == '__main__':
    main()
