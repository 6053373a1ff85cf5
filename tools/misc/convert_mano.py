"""Convert an official (chumpy) MANO pickle into a numpy-only one that needs no chumpy.

Usage: python tools/misc/convert_mano.py MANO_RIGHT.pkl data/mano/MANO_RIGHT.pkl

The input is read with a restricted unpickler: chumpy arrays become numpy arrays, and a
file that names any other foreign global is refused without running it.
"""
import argparse
import os
import os.path as osp
import pickle


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('src', help='official MANO_RIGHT.pkl / MANO_LEFT.pkl')
    parser.add_argument('dst', help='output pickle (numpy arrays only)')
    args = parser.parse_args()
    from hoverse.hand_models.mano_io import load_mano_pickle, to_numpy_only
    if not osp.isfile(args.src):
        raise SystemExit(f'MANO file {args.src!r} does not exist')
    if osp.abspath(args.src) == osp.abspath(args.dst):
        raise SystemExit('refusing to overwrite the source file; give another output path')
    data = to_numpy_only(load_mano_pickle(args.src))
    os.makedirs(osp.dirname(osp.abspath(args.dst)), exist_ok=True)
    tmp = args.dst + '.tmp'
    with open(tmp, 'wb') as f:
        pickle.dump(data, f, protocol=2)
    os.replace(tmp, args.dst)
    print(f'wrote {args.dst} ({len(data)} entries)')


if __name__ == '__main__':
    main()
