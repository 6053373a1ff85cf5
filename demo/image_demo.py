"""Reconstruct the hand and the object it holds in one image and write pictures and files.

Examples:
    python demo/image_demo.py IMAGE CONFIG CKPT                  # detect the hand, classify
    python demo/image_demo.py IMAGE CONFIG CKPT --bbox 40 30 220 230 --object mug

Without ``--bbox`` a hand detector (``--detector``, default MediaPipe, which the set-up
script installs: ``pip install --no-deps -r requirements/detect.txt``) finds the hand and
its box is enlarged to the hand-object crop; a left hand is mirrored through the
right-hand model and back. Without ``--object`` a model with an object
classifier prints its top-3 objects and uses the first. When no hand is found the demo says
so and exits with code 2 (pass ``--bbox``, or ``--select`` to drag a box on a display).

Writes ``<stem>_overlay.png`` (meshes over the image), ``<stem>_side.png`` (side view),
``<stem>_joints2d.png``, ``<stem>_hand.ply``, ``<stem>_object.obj`` (when the object is
known) and ``<stem>_pred.json`` (MANO parameters, joints, object pose and top-3, detected
box and handedness; camera frame, metres); ``--out-json FILE`` writes the same object as
one JSON line, with the field names of the video demo's per-frame lines. ``--fit-to``
refines the hand at test time so that its joints land on 2D joints: the detector's
landmarks (``landmarks``), the model's own (``model``), or not at all (``none``, the
default). ``--physical-fit`` refines the hand and the object together so that they do
not interpenetrate and the fingers touch (the JSON's ``physical_fit``: penetration and
contact before and after). ``--export glb`` (or ``obj``, ``ply``) writes both meshes
as one 3D scene, coloured as in the overlay, with the photo's camera
(``<stem>_scene.glb``; OpenGL's camera frame: :mod:`hoverse.apis.scene_export`).
``--intrinsics FILE`` (or FX FY CX CY) and ``--focal PX`` give the camera; without them
the JPEG's EXIF focal length, else a guess (the JSON's ``camera_source`` says which).
Without a working renderer the meshes, JSON and 2D drawing are still written, and the
missing library is named.
"""
import argparse
import json
import os
import os.path as osp
import sys
import time

#: exit status when no hand is found (or no detector is available) and no --bbox is given
NO_HAND_EXIT = 2


def parse_args() -> argparse.Namespace:
    from mmengine.config import DictAction

    from hoverse.apis.camera_intrinsics import add_camera_args
    from hoverse.apis.fit_target import add_fit_args
    from hoverse.detectors import add_detector_args
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('image', help='image file')
    parser.add_argument('config', help='model config')
    parser.add_argument('checkpoint', help='checkpoint file')
    parser.add_argument('--bbox', type=float, nargs=4, metavar=('X0', 'Y0', 'X1', 'Y1'),
                        help='hand-object box in pixels (default: detect the hand)')
    add_detector_args(parser)
    parser.add_argument('--select', action='store_true',
                        help='when no hand is found, drag a box with the mouse (needs a display)')
    parser.add_argument('--object', help="held object's template (default: the classifier's "
                        'top object, when the model has one)')
    add_camera_args(parser, aliases=('--camera', ))
    add_fit_args(parser)
    parser.add_argument('--export', choices=['glb', 'obj', 'ply'],
                        help='also write the hand and object as one 3D scene '
                        '(<stem>_scene.<format>, hoverse.apis.scene_export)')
    parser.add_argument('--out-dir', default='outputs/image_demo')
    parser.add_argument('--out-json', help='also write the results as one JSON line to this '
                        "file (the video demo's per-frame format)")
    parser.add_argument('--device', default='cpu')
    parser.add_argument('--cfg-options', nargs='+', action=DictAction, default={},
                        help='override config entries, e.g. model.object_models_root=DIR')
    parser.add_argument('--allow-new-keys', action='store_true',
                        help='let --cfg-options add keys the config does not have')
    return parser.parse_args()


def select_box(image):
    """Let the user drag a box on a display (``cv2.selectROI``); None without a display or
    when the selection is empty."""
    if not os.environ.get('DISPLAY'):
        return None
    import cv2
    x, y, w, h = cv2.selectROI('hoverse: drag the hand and the object, then press Enter',
                               image[..., ::-1], showCrosshair=False)
    cv2.destroyAllWindows()
    return [x, y, x + w, y + h] if w > 1 and h > 1 else None


def locate(image, image_path: str, bbox, detector, hand: str = 'auto', select: bool = False,
           prior=None):
    """``(hand-object box, handedness, detection or None)`` for one image; a detected hand
    is grown into the box by ``prior`` (the model's: :func:`hoverse.apis.crop_prior`).

    Raises:
        NoHandFoundError: no box given, and no hand found (nor selected).
    """
    from hoverse.detectors import NoHandFoundError
    from hoverse.geometry.boxes import HandObjectBoxPrior, hand_object_box
    if bbox is not None:
        return bbox, ('right' if hand == 'auto' else hand), None
    if detector is None:
        h, w = image.shape[:2]
        return [0, 0, w, h], ('right' if hand == 'auto' else hand), None
    found = detector.detect(image)
    if not found:
        picked = select_box(image) if select else None
        if picked is None:
            raise NoHandFoundError(
                f'no hand found in {image_path!r} (tried the whole image at the default and '
                'a low threshold, and upscaled tiles); pass the hand-object box with --bbox '
                'X0 Y0 X1 Y1 (pixels)' + ('' if select else ', or --select to drag one'))
        return picked, ('right' if hand == 'auto' else hand), None
    det = found[0]
    side = det.handedness if hand == 'auto' else hand
    return (hand_object_box(det.bbox, image.shape, prior or HandObjectBoxPrior()).tolist(),
            side, det)


def run_image_demo(model, image_path: str, out_dir: str, bbox=None, object_name=None,
                   camera=None, detector=None, hand: str = 'auto', select: bool = False,
                   out_json: str = None, fit_to: str = 'none',
                   export: str = None, intrinsics: str = None, focal: float = None,
                   physical_fit: bool = False) -> dict:
    """Reconstruct one image and write the demo's files; returns their paths, the model's
    time in milliseconds, the detection, the object's top classes and what the hand was
    fitted to (``fit_to``: :mod:`hoverse.apis.fit_target`)."""
    import cv2
    import trimesh

    from hoverse.apis import inference_model
    from hoverse.apis.fit_target import (detection_evidence, fit_evidence_source,
                                         set_fit_target, set_physical_fit)
    from hoverse.apis.camera_intrinsics import resolve_intrinsics
    from hoverse.apis.inference import check_object_name, crop_prior
    from hoverse.apis.results import draw_result, frame_record, hand_faces, object_mesh
    from hoverse.datasets.transforms.loading import read_image_rgb
    check_object_name(model, object_name)  # before any detection
    set_fit_target(model, fit_to)
    if physical_fit:
        set_physical_fit(model, True)
    image = read_image_rgb(image_path)
    h, w = image.shape[:2]
    t0 = time.perf_counter()
    box, side, det = locate(image, image_path, bbox, detector, hand, select, crop_prior(model))
    detect_ms = (time.perf_counter() - t0) * 1000
    K, camera_source = resolve_intrinsics(w, h, image_path, intrinsics, focal, camera)
    t0 = time.perf_counter()
    evidence = detection_evidence(det, fit_to)
    sample = inference_model(model, image, bbox=box, object_name=object_name, camera=K,
                             hand_side=side, hand_keypoints=evidence)
    fit = fit_evidence_source(fit_to, evidence)
    ms = (time.perf_counter() - t0) * 1000
    sample.set_metainfo(dict(img_path=image_path))
    os.makedirs(out_dir, exist_ok=True)
    stem = osp.join(out_dir, osp.splitext(osp.basename(image_path))[0])
    files, render_error = {}, None
    verts = sample.pred_instances.verts_cam[0].cpu().numpy()
    files['hand_mesh'] = f'{stem}_hand.ply'
    trimesh.Trimesh(verts, hand_faces(model, sample), process=False).export(files['hand_mesh'])
    om = object_mesh(model, sample)
    if om is not None:
        files['object_mesh'] = f'{stem}_object.obj'
        trimesh.Trimesh(om[0], om[1], process=False).export(files['object_mesh'])
    if export:
        from hoverse.apis.scene_export import export_scene, sample_scene
        files['scene'] = export_scene(sample_scene(model, sample, (w, h)),
                                      f'{stem}_scene.{export}')
    pred = frame_record(sample, box, 'given' if det is None else 'detection', det,
                        hand_fit=fit, camera_source=camera_source)
    files['json'] = f'{stem}_pred.json'
    with open(files['json'], 'w') as f:
        json.dump(pred, f, indent=1)
    if out_json:
        files['out_json'] = out_json
        os.makedirs(osp.dirname(osp.abspath(out_json)), exist_ok=True)
        with open(out_json, 'w') as f:
            f.write(json.dumps(pred) + '\n')
    try:
        pictures = draw_result(model, image, sample)
    except Exception as e:  # noqa: BLE001 - a renderer that cannot start
        from hoverse.visualization.renderer_check import explain_render_failure
        render_error = explain_render_failure(e)
        from hoverse.visualization import HandObjectVisualizer
        vis = HandObjectVisualizer.get_instance('hoverse_demo')
        pictures = dict(joints=vis.add_datasample('prediction', image, sample, draw_gt=False))
    for key, suffix in (('overlay', 'overlay'), ('side', 'side'), ('joints', 'joints2d')):
        if key in pictures:
            files[key] = f'{stem}_{suffix}.png'
            cv2.imwrite(files[key], pictures[key][..., ::-1])
    return dict(files=files, model_ms=ms, detect_ms=detect_ms, detection=det, box=box,
                hand=side, object=pred['object'], render_error=render_error, hand_fit=fit,
                camera_source=camera_source, physical_fit=pred.get('physical_fit'))


def main() -> None:
    args = parse_args()
    os.environ.setdefault('PYOPENGL_PLATFORM', 'egl')
    from hoverse.apis import init_model
    from hoverse.datasets.transforms.loading import ImageReadError
    from hoverse.detectors import NoHandFoundError, build_hand_detector
    try:
        detector = None if args.bbox is not None else build_hand_detector(args.detector)
    except ImportError as e:
        print(f'error: no --bbox given and the hand detector cannot load: {e}', file=sys.stderr)
        sys.exit(NO_HAND_EXIT)
    except (KeyError, TypeError, ValueError) as e:
        raise SystemExit(f'error: --detector {args.detector!r} cannot be built: {e}')
    try:
        model = init_model(args.config, args.checkpoint, args.device,
                           cfg_options=args.cfg_options,
                           allow_new_keys=args.allow_new_keys)
        from hoverse.apis.camera_intrinsics import intrinsics_argument
        cam = intrinsics_argument(args.intrinsics)
        out = run_image_demo(model, args.image, args.out_dir, args.bbox, args.object,
                             cam.get('camera'), detector, args.hand, args.select,
                             args.out_json, args.fit_to, args.export, cam.get('intrinsics'),
                             args.focal, args.physical_fit)
    except NoHandFoundError as e:
        print(f'error: {e}', file=sys.stderr)
        sys.exit(NO_HAND_EXIT)
    except (FileNotFoundError, ImageReadError, KeyError, ValueError) as e:
        raise SystemExit(f'error: {e}')
    finally:
        if detector is not None:
            detector.close()
    det = out['detection']
    if det is not None:
        print(f'hand: {det.handedness}, box {[round(v) for v in det.bbox]} ({det.attempt}, '
              f'{out["detect_ms"]:.0f} ms); hand-object box {[round(v) for v in out["box"]]}')
    obj = out['object']
    if obj['top']:
        print('object: ' + ', '.join(f"{t['name']} {t['probability']:.2f}" for t in obj['top'])
              + f" -> {obj['name']} ({obj['name_source']})")
    if out['hand_fit'] is not None:
        print(f"hand fitted to the {'detector' if out['hand_fit'] == 'landmarks' else 'model'}"
              f"'s 2D joints" + (' (no landmarks in this image)' if args.fit_to == 'landmarks'
                                 and out['hand_fit'] == 'model' else ''))
    fit = out['physical_fit']
    if fit:
        print(f"physical fit: deepest hand vertex inside the object "
              f"{fit['penetration_mm_before']:.1f} -> {fit['penetration_mm_after']:.1f} mm, "
              f"closest fingertip or palm {fit['contact_gap_mm_before']:.1f} -> "
              f"{fit['contact_gap_mm_after']:.1f} mm from its surface")
    print(f'camera: {out["camera_source"]}' + (
        ' (focal = the longer image side, centred: absolute depth follows that guess; '
        'pass --focal or --intrinsics)' if out['camera_source'] == 'default' else ''))
    print(f'reconstructed in {out["model_ms"]:.0f} ms (model only); wrote:')
    for path in out['files'].values():
        print(f'  {path}')
    if out['render_error']:
        print(f'warning: no overlay or side view: {out["render_error"]}', file=sys.stderr)


if __name__ == '__main__':
    main()
