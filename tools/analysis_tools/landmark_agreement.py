"""How far the detector's hand landmarks and the model's 2D joints are from each other, and
where the test-time hand fit puts the hand with each (the demos' ``--fit-to``).

Usage: python tools/analysis_tools/landmark_agreement.py CONFIG CKPT IMAGE [IMAGE ...]
           [--pan-frames 30] [--out-dir DIR] [--cfg-options KEY=VALUE ...]

For each image, and each frame of a pan over it (``--pan-frames``, 480x360 windows, as
the video tests build them), where MediaPipe finds a hand: its landmarks (canonical
order), D-BFAM's 2D joints and the projected joints of the regressed hand, of the hand
fitted to D-BFAM's joints (``--fit-to model``) and of the hand fitted to the landmarks
(``--fit-to landmarks``). Distances are per joint, averaged over the 21, in pixels and in
% of the landmarks' longer box side; the summary gives medians over frames and each
mode's model time. ``--out-dir`` gets ``summary.json`` and, per image, a strip of three
overlays (regression | fitted to the model's joints | fitted to the landmarks, the
landmarks in white).
"""
import argparse
import json
import os
import os.path as osp
import time

MODES = ('none', 'model', 'landmarks')


def _frame(model, detector, image, out_strip=None):
    import numpy as np

    from hoverse.apis import inference_model
    from hoverse.apis.fit_target import detection_evidence, set_fit_target
    from hoverse.apis.inference import crop_prior
    from hoverse.apis.results import image_keypoints
    from hoverse.geometry.boxes import hand_object_box
    from hoverse.geometry.camera import crop_points_to_image
    found = detector.detect(image)
    if not found:
        return None
    det = found[0]
    lms = detection_evidence(det, 'landmarks')
    box = hand_object_box(det.bbox, image.shape, crop_prior(model))
    side = float(np.ptp(lms, axis=0).max())
    row, samples = {}, {}
    for mode in MODES:
        set_fit_target(model, mode)
        t0 = time.perf_counter()
        s = inference_model(model, image, bbox=box, hand_side=det.handedness,
                            hand_keypoints=lms if mode == 'landmarks' else None)
        row[f'ms_{mode}'] = (time.perf_counter() - t0) * 1000
        samples[mode] = s
        row[f'fit_{mode}'] = image_keypoints(s)
    p = samples['none'].pred_instances
    row['dbfam'] = crop_points_to_image(np.asarray(p.hand_kpts_2d[0].cpu(), np.float64),
                                        samples['none'].metainfo['crop_affine'])
    dist = {}
    for name, pts in (('dbfam', row['dbfam']), ('regression', row['fit_none']),
                      ('fit_to_model', row['fit_model']),
                      ('fit_to_landmarks', row['fit_landmarks'])):
        d = float(np.linalg.norm(pts - lms, axis=1).mean())
        dist[f'landmarks_vs_{name}_px'] = d
        dist[f'landmarks_vs_{name}_pct'] = 100 * d / max(side, 1.0)
    d = float(np.linalg.norm(row['fit_model'] - row['dbfam'], axis=1).mean())
    dist['dbfam_vs_fit_to_model_pct'] = 100 * d / max(side, 1.0)
    dist.update({k: v for k, v in row.items() if k.startswith('ms_')}, hand_side_px=side)
    if out_strip:
        _strip(model, image, samples, lms, box, out_strip)
    return dist


def _strip(model, image, samples, lms, box, path):
    import cv2
    import numpy as np

    from hoverse.apis.results import draw_result
    tiles = []
    x0, y0, x1, y1 = [int(round(v)) for v in box]
    h, w = image.shape[:2]
    x0, y0, x1, y1 = max(x0, 0), max(y0, 0), min(x1, w), min(y1, h)
    for mode in MODES:
        over = np.ascontiguousarray(draw_result(model, image, samples[mode], side=False)
                                    ['overlay'])
        for u, v in lms:
            cv2.circle(over, (int(round(u)), int(round(v))), 2, (255, 255, 255), -1,
                       cv2.LINE_AA)
        tiles.append(cv2.resize(over[y0:y1, x0:x1], (256, 256)))
    cv2.imwrite(path, np.concatenate(tiles, 1)[..., ::-1])


def main() -> None:
    from mmengine.config import DictAction
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('config')
    parser.add_argument('checkpoint')
    parser.add_argument('images', nargs='+')
    parser.add_argument('--pan-frames', type=int, default=30)
    parser.add_argument('--out-dir', default='work_dirs/landmark_agreement')
    parser.add_argument('--cfg-options', nargs='+', action=DictAction, default={})
    args = parser.parse_args()
    os.environ.setdefault('PYOPENGL_PLATFORM', 'egl')
    import numpy as np

    from hoverse.apis import init_model
    from hoverse.datasets.transforms.loading import read_image_rgb
    from hoverse.detectors import build_hand_detector
    from hoverse.testing.pan_video import pan_frames
    for path in args.images:
        if not osp.isfile(path):
            raise SystemExit(f'image {path!r} does not exist')
    model = init_model(args.config, args.checkpoint, cfg_options=args.cfg_options)
    detector = build_hand_detector('mediapipe')
    os.makedirs(args.out_dir, exist_ok=True)
    _frame(model, detector, read_image_rgb(args.images[0]))  # warm-up, not counted
    summary = {}
    for path in args.images:
        image = read_image_rgb(path)
        stem = osp.splitext(osp.basename(path))[0]
        sets = {'photo': [image]}
        if args.pan_frames and image.shape[0] >= 360 and image.shape[1] >= 480:
            sets['pan'] = pan_frames(image, args.pan_frames)[0]
        for kind, frames in sets.items():
            rows = []
            for k, frame in enumerate(frames):
                strip = osp.join(args.out_dir, f'{stem}_fit.png') if kind == 'photo' else None
                if kind == 'pan':
                    detector.reset_tracking()
                row = _frame(model, detector, frame, strip)
                if row is not None:
                    rows.append(row)
            key = f'{stem}/{kind}'
            summary[key] = dict(frames=len(frames), with_hand=len(rows))
            if rows:
                summary[key].update({k: float(np.median([r[k] for r in rows]))
                                     for k in rows[0]})
            print(key, json.dumps(summary[key], indent=1))
    detector.close()
    with open(osp.join(args.out_dir, 'summary.json'), 'w') as f:
        json.dump(summary, f, indent=1)
    print(f'summary: {osp.join(args.out_dir, "summary.json")}')


if __name__ == '__main__':
    main()
