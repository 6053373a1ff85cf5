"""Score a Dex-YCB HPE result file against the dataset's labels, as the toolkit's
``hpe_eval.py`` does (absolute, root-relative and Procrustes MPJPE in mm, AUC over 0-50 mm).

The result file is what ``tools/test.py`` writes for a Dex-YCB config
(``<work_dir>/results/dexycb_hpe_results.txt``: per line the sample's index in the
toolkit's numbering of the split, then 63 values). The labels are read from DATA_ROOT
(the real set or its stand-in) with the split's official numbering.

Usage: python tools/analysis_tools/eval_dexycb.py DATA_ROOT RESULT_FILE [--setup s0]
           [--split test] [--mano data/mano] [--out FILE]
"""
import argparse
import os.path as osp


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('data_root', help='the Dex-YCB folder (subjects, calibration)')
    parser.add_argument('results', help='the HPE result file')
    parser.add_argument('--setup', default='s0', choices=['s0', 's1', 's2', 's3'])
    parser.add_argument('--split', default='test', choices=['train', 'val', 'test'])
    parser.add_argument('--mano', default='data/mano', help='MANO model file or folder')
    parser.add_argument('--out', help='also write the scores as JSON')
    args = parser.parse_args()
    if not osp.isfile(args.results):
        raise SystemExit(f'result file {args.results!r} does not exist')
    from hoverse.datasets import DexYCBDataset
    from hoverse.evaluation.dexycb_protocol import dexycb_ground_truth, evaluate_dexycb_hpe
    from hoverse.evaluation.metrics.result_writers import read_dexycb_results
    try:
        ds = DexYCBDataset(args.data_root, setup=args.setup, split=args.split,
                           mano_path=args.mano, test_mode=True, pipeline=[])
        scores = evaluate_dexycb_hpe(dexycb_ground_truth(ds), read_dexycb_results(args.results))
    except (FileNotFoundError, ValueError) as e:
        raise SystemExit(f'error: {e}')
    print(f'{"alignment":<16}{"MPJPE (mm)":>12}{"AUC":>10}')
    for name, s in scores.items():
        print(f'{name:<16}{s["mpjpe"]:>12.4f}{s["auc"]:>10.4f}')
    if args.out:
        from hoverse.utils.json_io import write_json
        write_json(args.out, scores)


if __name__ == '__main__':
    main()
