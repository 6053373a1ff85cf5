"""Reconstruct the hand and the object it holds in one image and write pictures and files.

Example:
    python demo/image_demo.py IMAGE CONFIG CKPT --bbox 40 30 220 230 --object mug \
        --out-dir outputs/demo

Writes ``<stem>_overlay.png`` (meshes over the image), ``<stem>_side.png`` (side view),
``<stem>_joints2d.png``, ``<stem>_hand.ply``, ``<stem>_object.obj`` (with ``--object``)
and ``<stem>_pred.json`` (MANO parameters, joints, object pose; camera frame, metres).
"""
import argparse
import json
import os
import os.path as osp
import time


def parse_args() -> argparse.Namespace:
    from mmengine.config import DictAction
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('image', help='image file')
    parser.add_argument('config', help='model config')
    parser.add_argument('checkpoint', help='checkpoint file')
    parser.add_argument('--bbox', type=float, nargs=4, metavar=('X0', 'Y0', 'X1', 'Y1'),
                        help='hand-object box in pixels (default: the whole image)')
    parser.add_argument('--object', help='name of the held object\'s template')
    parser.add_argument('--camera', type=float, nargs=4, metavar=('FX', 'FY', 'CX', 'CY'),
                        help='intrinsics (default: focal = longer image side, centred)')
    parser.add_argument('--out-dir', default='outputs/image_demo')
    parser.add_argument('--device', default='cpu')
    parser.add_argument('--cfg-options', nargs='+', action=DictAction, default={},
                        help='override config entries, e.g. model.object_models_root=DIR')
    parser.add_argument('--allow-new-keys', action='store_true',
                        help='let --cfg-options add keys the config does not have')
    return parser.parse_args()


def camera_matrix(values):
    import numpy as np
    if values is None:
        return None
    fx, fy, cx, cy = values
    return np.array([[fx, 0, cx], [0, fy, cy], [0, 0, 1.0]])


def run_image_demo(model, image_path: str, out_dir: str, bbox=None, object_name=None,
                   camera=None) -> dict:
    """Reconstruct one image and write the demo's files; returns their paths and the
    model's time in milliseconds."""
    import cv2
    import trimesh

    from hoverse.apis import inference_model
    from hoverse.apis.results import draw_result, object_mesh, prediction_dict
    from hoverse.datasets.transforms.loading import read_image_rgb
    image = read_image_rgb(image_path)
    t0 = time.perf_counter()
    sample = inference_model(model, image, bbox=bbox, object_name=object_name, camera=camera)
    ms = (time.perf_counter() - t0) * 1000
    sample.set_metainfo(dict(img_path=image_path))
    os.makedirs(out_dir, exist_ok=True)
    stem = osp.join(out_dir, osp.splitext(osp.basename(image_path))[0])
    pictures = draw_result(model, image, sample)
    files = {}
    for key, suffix in (('overlay', 'overlay'), ('side', 'side'), ('joints', 'joints2d')):
        files[key] = f'{stem}_{suffix}.png'
        cv2.imwrite(files[key], pictures[key][..., ::-1])
    hand_faces = model.mano_head.mano.faces.cpu().numpy()
    verts = sample.pred_instances.verts_cam[0].cpu().numpy()
    files['hand_mesh'] = f'{stem}_hand.ply'
    trimesh.Trimesh(verts, hand_faces, process=False).export(files['hand_mesh'])
    om = object_mesh(model, sample)
    if om is not None:
        files['object_mesh'] = f'{stem}_object.obj'
        trimesh.Trimesh(om[0], om[1], process=False).export(files['object_mesh'])
    files['json'] = f'{stem}_pred.json'
    with open(files['json'], 'w') as f:
        json.dump(prediction_dict(sample), f, indent=1)
    return dict(files=files, model_ms=ms)


def main() -> None:
    args = parse_args()
    os.environ.setdefault('PYOPENGL_PLATFORM', 'egl')
    from hoverse.apis import init_model
    from hoverse.datasets.transforms.loading import ImageReadError
    try:
        model = init_model(args.config, args.checkpoint, args.device,
                           cfg_options=args.cfg_options,
                           allow_new_keys=args.allow_new_keys)
        out = run_image_demo(model, args.image, args.out_dir, args.bbox, args.object,
                             camera_matrix(args.camera))
    except (FileNotFoundError, ImageReadError, KeyError, ValueError) as e:
        raise SystemExit(f'error: {e}')
    print(f'reconstructed in {out["model_ms"]:.0f} ms (model only); wrote:')
    for path in out['files'].values():
        print(f'  {path}')


if __name__ == '__main__':
    main()
