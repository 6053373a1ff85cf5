"""Video tracking on camera pans over still images: frames per second with detection and
tracking, detector runs per 100 frames and the share of frames whose box is on the hand,
for each way the video demo picks its boxes.

Usage: python tools/analysis_tools/benchmark_tracking.py CONFIG CKPT IMAGE [IMAGE ...]
           [--frames 30] [--out FILE] [--cfg-options KEY=VALUE ...]

Each image becomes a pan (windows of 3/4 of its size, at most 480x360, sliding left to
right: ``hoverse.testing.pan_video``); the true hand box of every frame is the first
frame's detection moved with the pan, and a box is on the hand when its centre lies
within half a box side of the truth. Settings: ``--track landmarks`` (the default),
``--track model`` and ``--redetect-every 1`` (the full detector on every frame). The
frames per second count the tracker and the model (the demo's rendering and video
writing excluded); the model runs as the demo runs it, batch 1.
"""
import argparse
import os.path as osp
import time

SETTINGS = (('landmarks', dict(mode='landmarks')), ('model', dict(mode='model')),
            ('redetect-every 1', dict(mode='landmarks', redetect_every=1)))


def run_pan(model, detector, frames, truths, tracker_args) -> dict:
    """One pass of the tracker and the model over ``frames``."""
    import numpy as np

    from hoverse.apis import inference_model
    from hoverse.apis.inference import crop_prior
    from hoverse.apis.tracking import HandObjectTracker
    from hoverse.testing.pan_video import on_box
    detector.reset_tracking()
    tracker = HandObjectTracker(detector, prior=crop_prior(model), **tracker_args)
    track_s = model_s = 0.0
    on_hand = []
    for frame, truth in zip(frames, truths):
        t0 = time.perf_counter()
        box, _ = tracker.next_box(frame)
        track_s += time.perf_counter() - t0
        on_hand.append(on_box(box, truth))
        if box is None:
            continue
        t0 = time.perf_counter()
        sample = inference_model(model, frame, bbox=box, hand_side=tracker.handedness)
        model_s += time.perf_counter() - t0
        t0 = time.perf_counter()
        tracker.update(sample, frame.shape)
        track_s += time.perf_counter() - t0
    n = len(frames)
    return dict(fps=n / (track_s + model_s), fps_model=n / max(model_s, 1e-9),
                detector_runs_per_100=100.0 * tracker.detector_runs / n,
                on_hand_pct=100.0 * float(np.mean(on_hand)), sources=dict(tracker.sources))


def main() -> None:
    from mmengine.config import DictAction
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('config')
    parser.add_argument('checkpoint')
    parser.add_argument('images', nargs='+')
    parser.add_argument('--frames', type=int, default=30)
    parser.add_argument('--out', help='write the figures as JSON')
    parser.add_argument('--cfg-options', nargs='+', action=DictAction, default={})
    args = parser.parse_args()
    from hoverse.apis import init_model
    from hoverse.apis.inference import crop_prior
    from hoverse.datasets.transforms.loading import read_image_rgb
    from hoverse.detectors import build_hand_detector
    from hoverse.testing.pan_video import pan_frames, pan_truth_boxes
    for path in args.images:
        if not osp.isfile(path):
            raise SystemExit(f'image {path!r} does not exist')
    model = init_model(args.config, args.checkpoint, cfg_options=args.cfg_options)
    detector = build_hand_detector('mediapipe')
    out = {}
    try:
        for path in args.images:
            image = read_image_rgb(path)
            h, w = image.shape[:2]
            window = (min(480, w * 3 // 4), min(360, h * 3 // 4))
            frames, offsets = pan_frames(image, args.frames, window)
            found = detector.detect(frames[0])
            name = osp.basename(path)
            if not found:
                out[name] = dict(error='no hand found in the first frame')
                print(name, out[name])
                continue
            truths = pan_truth_boxes(found[0].bbox, offsets, frames[0].shape, crop_prior(model))
            run_pan(model, detector, frames[:3], truths[:3], {})  # warm-up, not counted
            out[name] = {label: run_pan(model, detector, frames, truths, kw)
                         for label, kw in SETTINGS}
            for label, r in out[name].items():
                print(f"{name:40s} {label:18s} {r['fps']:6.1f} frames/s (model "
                      f"{r['fps_model']:5.1f}), {r['detector_runs_per_100']:5.1f} detector runs "
                      f"/ 100 frames, on the hand {r['on_hand_pct']:5.1f} %")
    finally:
        detector.close()
    if args.out:
        from hoverse.utils.json_io import write_json
        write_json(args.out, out)


if __name__ == '__main__':
    main()
