"""Make a checkpoint ready to share (OpenMMLab's convention): only the weights and their
metadata are kept (the optimiser state, the schedulers and the training history dropped),
and the first 8 hex digits of the file's sha256 are appended to its name.

Usage: python tools/misc/publish_model.py IN.pth OUT.pth
    -> OUT-<sha256[:8]>.pth (printed)
"""
import argparse


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('in_file', help='a checkpoint written by tools/train.py')
    parser.add_argument('out_file', help='where the published file goes (its name gets '
                        'the hash appended)')
    args = parser.parse_args()
    from hoverse.engine.publish import publish_checkpoint
    try:
        path = publish_checkpoint(args.in_file, args.out_file)
    except (FileNotFoundError, ValueError) as e:
        raise SystemExit(f'error: {e}')
    print(path)


if __name__ == '__main__':
    main()
