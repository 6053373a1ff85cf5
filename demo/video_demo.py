"""Frame-by-frame hand-object reconstruction of a video file or a camera, with an overlay
video, optional temporal smoothing and the measured frames per second.

Examples:
    python demo/video_demo.py VIDEO CONFIG CKPT --out outputs/video.mp4
    python demo/video_demo.py --camera 0 CONFIG CKPT --show

Without ``--bbox`` the hand is detected on the first frame (``--detector``, default
MediaPipe) and followed from frame to frame by the detector's own video mode (``--track
landmarks``: MediaPipe's landmark model on the previous frame's hand, its palm detector
again when the hand is lost), so every box rests on evidence in its frame. ``--track model``
follows the previous frame's projected hand and object instead and re-detects when the
detector's hand disagrees with it by more than ``--max-offset`` hand sides.
``--redetect-every N`` also runs the full detector every N frames. Without ``--object`` the
classifier's top object on the first reconstructed frame is kept for the whole video. The
frames per second are printed for the model alone and with detection and tracking, with
the detector runs per 100 frames. ``--out-json FILE`` writes one JSON object per frame
(frame index, time, box and its source, 2D and 3D joints, object name and pose; the image
demo's field names). ``--fit-to landmarks`` refines each frame's hand so that its joints
land on the detector's landmarks (``model``: on the model's own 2D joints; ``none``, the
default: no fit). ``--export glb`` writes each frame's meshes as a 3D scene.
"""
import argparse
import json
import os
import os.path as osp
import time


def parse_args() -> argparse.Namespace:
    from mmengine.config import DictAction

    from hoverse.apis.camera_intrinsics import add_camera_args
    from hoverse.apis.fit_target import add_fit_args
    from hoverse.detectors import add_detector_args
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('video', nargs='?', help='video file (or use --camera)')
    parser.add_argument('config')
    parser.add_argument('checkpoint')
    parser.add_argument('--camera', type=int, help='camera device index instead of a file')
    parser.add_argument('--bbox', type=float, nargs=4, metavar=('X0', 'Y0', 'X1', 'Y1'),
                        help='fixed hand-object box (default: detect, then track)')
    add_detector_args(parser)
    parser.add_argument('--track', choices=['landmarks', 'model'], default='landmarks',
                        help="how a box follows the hand between detections: the detector's "
                        "video mode (landmarks) or the previous frame's reconstruction, "
                        'checked against the detector (model)')
    parser.add_argument('--max-offset', type=float, default=0.5,
                        help='--track model: re-detect when the reconstruction\'s hand lies '
                        "more than this many hand sides from the detector's")
    parser.add_argument('--redetect-every', type=int, default=0,
                        help='also run the full detector every N frames (0: only when lost)')
    add_fit_args(parser, per_frame=True)
    parser.add_argument('--object', help="held object's template name (default: classified "
                        'on the first frame)')
    add_camera_args(parser, default_help='focal = the longer frame side, centred')
    parser.add_argument('--filter', choices=['none', 'one-euro', 'ema'], default='one-euro',
                        help='temporal smoothing of joints, vertices and object pose')
    parser.add_argument('--ema-alpha', type=float, default=0.5)
    parser.add_argument('--out', default='outputs/video_demo.mp4', help='overlay video')
    parser.add_argument('--out-json', help='per-frame results, one JSON object per line')
    parser.add_argument('--export', choices=['glb', 'obj', 'ply'],
                        help="also write each frame's hand and object as a 3D scene, "
                        '<out stem>_scenes/<frame>.<format>')
    parser.add_argument('--max-frames', type=int, default=0, help='0: all')
    parser.add_argument('--show', action='store_true', help='show the overlay in a window')
    parser.add_argument('--device', default='cpu')
    parser.add_argument('--cfg-options', nargs='+', action=DictAction, default={},
                        help='override config entries, e.g. model.object_models_root=DIR')
    parser.add_argument('--allow-new-keys', action='store_true',
                        help='let --cfg-options add keys the config does not have')
    args = parser.parse_args()
    if (args.video is None) == (args.camera is None):
        parser.error('give either a VIDEO file or --camera N')
    if args.redetect_every < 0:
        parser.error(f'--redetect-every must be >= 0, got {args.redetect_every}')
    if not args.max_offset > 0:
        parser.error(f'--max-offset must be > 0, got {args.max_offset}')
    return args


def main() -> None:
    args = parse_args()
    os.environ.setdefault('PYOPENGL_PLATFORM', 'egl')
    import cv2
    import numpy as np
    from mmengine.utils import ProgressBar

    from hoverse.apis import inference_model, init_model
    from hoverse.apis.fit_target import (detection_evidence, fit_evidence_source,
                                         set_fit_target, set_physical_fit)
    from hoverse.apis.inference import crop_prior
    from hoverse.apis.results import draw_result, frame_record
    from hoverse.apis.tracking import HandObjectTracker
    from hoverse.apis.temporal_filter import ExponentialMovingAverage, OneEuroFilter
    from hoverse.geometry.rotations import nearest_rotation
    from hoverse.visualization import HandObjectRenderer
    source = args.camera if args.camera is not None else args.video
    if args.video is not None and not osp.isfile(args.video):
        raise SystemExit(f'error: video file {args.video!r} does not exist')
    cap = cv2.VideoCapture(source)
    if not cap.isOpened():
        raise SystemExit(f'error: cannot open {"camera" if args.camera is not None else "video"}'
                         f' {source!r}')
    try:
        model = init_model(args.config, args.checkpoint, args.device,
                           cfg_options=args.cfg_options,
                           allow_new_keys=args.allow_new_keys)
        set_fit_target(model, args.fit_to)
        if args.physical_fit:
            set_physical_fit(model, True)
    except (FileNotFoundError, KeyError, RuntimeError, ValueError) as e:
        raise SystemExit(f'error: {e}')
    detector = None
    if args.bbox is None:
        from hoverse.detectors import build_hand_detector
        try:
            detector = build_hand_detector(args.detector)
        except ImportError as e:
            raise SystemExit(f'error: no --bbox given and the hand detector cannot load: {e}')
        except (KeyError, TypeError, ValueError) as e:
            raise SystemExit(f'error: --detector {args.detector!r} cannot be built: {e}')
    fps_in = cap.get(cv2.CAP_PROP_FPS) or 30.0
    total = int(cap.get(cv2.CAP_PROP_FRAME_COUNT)) if args.video else 0
    if args.max_frames:
        total = min(total, args.max_frames) if total else args.max_frames
    from hoverse.apis.camera_intrinsics import intrinsics_argument, resolve_intrinsics
    try:
        camera_args = dict(intrinsics_argument(args.intrinsics), focal=args.focal)
    except ValueError as e:
        raise SystemExit(f'error: {e}')
    K, camera_source = None, None
    filters = {k: (ExponentialMovingAverage(args.ema_alpha) if args.filter == 'ema' else
                   OneEuroFilter()) for k in ('joints_cam', 'verts_cam', 'obj_trans_cam',
                                              'obj_rot_cam')}
    writer, renderer, bar = None, None, ProgressBar(total) if total else None
    model_time, track_time, n, skipped = 0.0, 0.0, 0, 0
    tracker, object_name, index, t_start = None, args.object, -1, None
    os.makedirs(osp.dirname(osp.abspath(args.out)), exist_ok=True)
    scenes_dir = osp.splitext(args.out)[0] + '_scenes'
    if args.export:
        from hoverse.apis.scene_export import export_scene, sample_scene
    records = None
    if args.out_json:
        os.makedirs(osp.dirname(osp.abspath(args.out_json)), exist_ok=True)
        records = open(args.out_json, 'w')
    while True:
        ok, frame = cap.read()
        if not ok or (args.max_frames and index + 1 >= args.max_frames):
            break
        index += 1
        # a file's own clock; a camera's, the wall clock since its first frame
        if args.video is not None:
            time_s = index / fps_in
        else:
            t_start = time.perf_counter() if t_start is None else t_start
            time_s = time.perf_counter() - t_start
        rgb = np.ascontiguousarray(frame[..., ::-1])
        h, w = rgb.shape[:2]
        if camera_source is None:  # the first frame gives the size
            try:
                K, camera_source = resolve_intrinsics(w, h, **camera_args)
            except (FileNotFoundError, ValueError) as e:
                raise SystemExit(f'error: {e}')
        if tracker is None:
            tracker = HandObjectTracker(
                detector, box=args.bbox if detector is None and args.bbox is not None else
                (None if detector is not None else [0, 0, w, h]),
                prior=crop_prior(model), mode=args.track,
                redetect_every=args.redetect_every, max_offset=args.max_offset)
        t0 = time.perf_counter()
        box, box_source = tracker.next_box(rgb)
        track_time += time.perf_counter() - t0
        evidence = tracker.evidence if box_source in ('detection', 'tracking') else None
        if writer is None:
            writer = cv2.VideoWriter(args.out, cv2.VideoWriter_fourcc(*'mp4v'), fps_in, (w, h))
        if box is None:  # no hand yet: the frame as it is
            skipped += 1
            if records is not None:
                records.write(json.dumps(frame_record(None, None, box_source, None, index,
                                                      time_s, camera_source=camera_source))
                              + '\n')
            out = np.ascontiguousarray(frame)
            cv2.putText(out, 'no hand found', (8, 20), cv2.FONT_HERSHEY_SIMPLEX, 0.5,
                        (0, 0, 255), 1, cv2.LINE_AA)
            writer.write(out)
            if bar is not None:
                bar.update()
            continue
        side = tracker.handedness if args.hand == 'auto' else args.hand
        t0 = time.perf_counter()
        try:
            fit_kpts = detection_evidence(evidence, args.fit_to)
            sample = inference_model(model, rgb, bbox=box, object_name=object_name,
                                     camera=K, hand_side=side, hand_keypoints=fit_kpts)
        except (KeyError, ValueError) as e:
            raise SystemExit(f'error: {e}')
        model_time += time.perf_counter() - t0
        n += 1
        t0 = time.perf_counter()
        tracker.update(sample, rgb.shape)
        track_time += time.perf_counter() - t0
        if object_name is None and sample.metainfo.get('obj_name_source') == 'classified':
            object_name = sample.metainfo['obj_name']  # kept for the whole video
        if args.filter != 'none':
            p = sample.pred_instances
            for key, f in filters.items():
                value = p.get(key)
                sm = value.new_tensor(f(value.numpy(), 1.0 / fps_in))
                if key == 'obj_rot_cam':  # a filtered matrix, back onto rotations
                    sm = nearest_rotation(sm)
                p.set_field(sm, key)
        if records is not None:
            records.write(json.dumps(frame_record(
                sample, box, box_source, evidence, index, time_s,
                fit_evidence_source(args.fit_to, fit_kpts), camera_source)) + '\n')
        if args.export:
            export_scene(sample_scene(model, sample, (w, h)),
                         osp.join(scenes_dir, f'{index:06d}.{args.export}'))
        if renderer is None:
            renderer = HandObjectRenderer(w, h)
        vis = draw_result(model, rgb, sample, side=False, renderer=renderer)['overlay']
        fps = n / model_time
        out = np.ascontiguousarray(vis[..., ::-1])
        cv2.putText(out, f'{fps:.1f} FPS (model)', (8, 20), cv2.FONT_HERSHEY_SIMPLEX, 0.5,
                    (255, 255, 255), 1, cv2.LINE_AA)
        writer.write(out)
        if args.show:
            cv2.imshow('hoverse', out)
            if cv2.waitKey(1) & 0xFF == 27:
                break
        if bar is not None:
            bar.update()
    cap.release()
    if records is not None:
        records.close()
    if writer is not None:
        writer.release()
    if renderer is not None:
        renderer.close()
    if detector is not None:
        detector.close()
    if n == 0 and skipped == 0:
        raise SystemExit(f'error: no frame could be read from {source!r}')
    if n == 0:
        raise SystemExit(f'error: no hand found in any of the {skipped} frames of {source!r}; '
                         'pass --bbox X0 Y0 X1 Y1')
    runs = tracker.detector_runs
    sources = ', '.join(f'{k} {v}' for k, v in tracker.sources.items() if v)
    print(f'\n{n} frames reconstructed, {skipped} without a hand; frames per second: '
          f'{n / model_time:.1f} (model, batch 1), {n / (model_time + track_time):.1f} '
          f'(with detection and tracking); hand detector runs: {runs} '
          f'({100.0 * runs / max(tracker.frames, 1):.0f} per 100 frames); boxes: {sources}; '
          f'overlay video: {args.out}' + (f'; per-frame JSON: {args.out_json}'
                                          if args.out_json else ''))


if __name__ == '__main__':
    main()
