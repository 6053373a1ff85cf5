"""Write procedural YCB-sized objects (box, cylinder, sphere, mug) in the YCB layout.

Usage: python tools/misc/make_synthetic_objects.py data/objects
"""
import argparse


def main() -> None:
    from hoverse.objects.procedural import PROCEDURAL_OBJECTS, write_procedural_objects
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('out_dir')
    parser.add_argument('--names', nargs='+', choices=sorted(PROCEDURAL_OBJECTS))
    args = parser.parse_args()
    for path in write_procedural_objects(args.out_dir, args.names):
        print(path)


if __name__ == '__main__':
    main()
