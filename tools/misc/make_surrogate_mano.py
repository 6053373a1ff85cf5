"""Write the procedural surrogate MANO model: ``OUT_DIR/MANO_RIGHT.pkl`` (numpy/scipy only).

Usage: python tools/misc/make_surrogate_mano.py data/mano
"""
import argparse


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('out_dir', help='folder to write MANO_RIGHT.pkl into')
    parser.add_argument('--seed', type=int, default=0)
    args = parser.parse_args()
    from hoverse.hand_models.surrogate import write_surrogate_mano
    print(write_surrogate_mano(args.out_dir, args.seed))


if __name__ == '__main__':
    main()
