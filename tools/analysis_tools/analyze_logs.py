"""Learning curves from a training work dir: every loss and the validation metrics.

Usage: python tools/analysis_tools/analyze_logs.py plot_curve WORK_DIR [--out curves.png]
       [--keys loss_joints loss_obj_rot ...] [--val-keys object/rot_error_median ...]
"""
import argparse
import os.path as osp


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest='task', required=True)
    p = sub.add_parser('plot_curve', help='draw losses and validation metrics into a PNG')
    p.add_argument('work_dir')
    p.add_argument('--out', help='PNG path (default WORK_DIR/curves.png)')
    p.add_argument('--keys', nargs='+', help='training scalars (default: every loss)')
    p.add_argument('--val-keys', nargs='+', help='validation metrics to draw')
    args = parser.parse_args()
    from hoverse.analysis.learning_curves import plot_learning_curves
    out = plot_learning_curves(args.work_dir, args.out or osp.join(args.work_dir, 'curves.png'),
                               args.keys, args.val_keys)
    print(out)


if __name__ == '__main__':
    main()
