"""Score an HO3D submission (pred.json or pred.zip) against ground truth you hold.

GT_DIR holds ``<set>_xyz.json`` and ``<set>_verts.json`` (HO3D's format: OpenGL frame,
metres, HO3D joint order; e.g. the released v2 ground truth, or held-out train sequences
written in that format). Prints and writes ``scores.txt`` with the official keys and units.

``--version`` names the HO3D release (v2: 11,524 evaluation frames; v3: 20,137). The
protocol is the same for both; the official script also asserts that count, so a
prediction for another number of frames (a stand-in's, a subset's) is reported as such here
and scored against the ground truth it matches.

Usage: python tools/analysis_tools/eval_ho3d.py GT_DIR PRED_JSON [--version v2|v3]
           [--out-dir DIR]
"""
import argparse
import json
import os
import os.path as osp

#: frames of each release's evaluation split (the official eval.py's db_size)
OFFICIAL_EVAL_FRAMES = {'v2': 11524, 'v3': 20137}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('gt_dir', help='folder with <set>_xyz.json and <set>_verts.json')
    parser.add_argument('pred', help='pred.json or pred.zip ([xyz_list, verts_list])')
    parser.add_argument('--set-name', default='evaluation')
    parser.add_argument('--version', choices=sorted(OFFICIAL_EVAL_FRAMES), default='v2')
    parser.add_argument('--out-dir', help='where scores.txt goes (default: next to pred)')
    args = parser.parse_args()
    from hoverse.evaluation.ho3d_protocol import evaluate_ho3d, format_scores
    from hoverse.evaluation.metrics import read_ho3d_submission
    gt = {}
    for kind in ('xyz', 'verts'):
        path = osp.join(args.gt_dir, f'{args.set_name}_{kind}.json')
        if not osp.isfile(path):
            raise SystemExit(f'ground truth {path!r} does not exist')
        with open(path) as f:
            gt[kind] = json.load(f)
    if not osp.isfile(args.pred):
        raise SystemExit(f'prediction file {args.pred!r} does not exist')
    try:
        xyz, verts = read_ho3d_submission(args.pred)
        scores = evaluate_ho3d(gt['xyz'], gt['verts'], xyz, verts)
    except ValueError as e:
        raise SystemExit(f'{args.pred}: {e}')
    official = OFFICIAL_EVAL_FRAMES[args.version]
    if args.set_name == 'evaluation' and len(gt['xyz']) != official:
        print(f'note: the ground truth holds {len(gt["xyz"])} frames, not HO3D {args.version}\'s '
              f'{official} (a stand-in or a subset); scored against it as it is')
    text = format_scores(scores)
    out_dir = args.out_dir or osp.dirname(osp.abspath(args.pred))
    os.makedirs(out_dir, exist_ok=True)
    with open(osp.join(out_dir, 'scores.txt'), 'w') as f:
        f.write(text)
    print(text, end='')
    print(f'Scores written to: {osp.join(out_dir, "scores.txt")}')


if __name__ == '__main__':
    main()
