"""Render the synthetic hand-object set (HO3D v2 layout), deterministic by seed.

Usage: python tools/misc/make_synthetic_dataset.py data/synthetic --mano data/mano \
           --num-train 800 --num-val 100 --num-test 100 --num-eval 100
"""
import argparse
import json


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('out_dir')
    parser.add_argument('--mano', default='data/mano', help='MANO model file or folder')
    parser.add_argument('--num-train', type=int, default=800)
    parser.add_argument('--num-val', type=int, default=100)
    parser.add_argument('--num-eval', type=int, default=100,
                        help='HO3D-style evaluation samples (hand ground truth hidden)')
    parser.add_argument('--num-test', type=int, default=100,
                        help='held-out test samples with full ground truth (test.txt)')
    parser.add_argument('--seed', type=int, default=0)
    parser.add_argument('--image-size', type=int, default=256)
    parser.add_argument('--num-workers', '--workers', dest='workers', type=int, default=2,
                        help='rendering processes (one per core scales to 100k samples)')
    parser.add_argument('--max-tilt', type=float, default=70.0,
                        help='hand tilt away from the canonical view (degrees); 180 with '
                        '--max-roll 180 gives uniformly random hand rotations')
    parser.add_argument('--max-roll', type=float, default=90.0,
                        help='hand roll about the optical axis (degrees)')
    parser.add_argument('--palm-facing-prob', type=float, default=0.5)
    args = parser.parse_args()
    from hoverse.synthesis.generate import ViewPrior, generate_synthetic_dataset
    prior = ViewPrior(args.max_tilt, args.max_roll, args.palm_facing_prob)
    stats = generate_synthetic_dataset(args.out_dir, args.mano, args.num_train, args.num_val,
                                       args.num_eval, args.num_test, args.seed,
                                       args.image_size, args.workers, view_prior=prior)
    print(json.dumps(stats, indent=1))


if __name__ == '__main__':
    main()
