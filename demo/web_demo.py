"""Web demo: upload a photo (or take a webcam frame), see the reconstruction over it and
turn the hand and the object around in 3D.

Example:
    python demo/web_demo.py CONFIG CKPT              # then open http://127.0.0.1:7860

The hand is detected (MediaPipe) and its box grown to the hand-object crop, or given by
two clicks on the photo (opposite corners of the hand and the object) or typed as
``x0 y0 x1 y1``. A model with an object classifier shows its top three objects; the
dropdown overrides them. The page shows the overlay beside an interactive 3D view of the
exported scene (GLB, :mod:`hoverse.apis.scene_export`) and offers the JSON (the image
demo's fields) and the GLB for download. It listens on 127.0.0.1 unless ``--host`` says
otherwise. Uploads over ``--max-upload-mb`` or ``--max-pixels`` (decompression bombs:
small files that decode to huge images) are refused with a message in the page, read from
the file's header before anything is decoded. Needs the web extra:
``pip install --no-deps -r requirements/web.txt``.
"""
import argparse
import os
import os.path as osp
import sys
import tempfile
import time
from typing import Dict, List, Optional

sys.path.insert(0, osp.dirname(osp.abspath(__file__)))  # image_demo, beside this file

#: what the page shows in the object dropdown to keep the classifier's choice
CLASSIFIED = '(classifier)'


class UploadError(ValueError):
    """An upload the demo refuses; the message is shown in the page."""


def check_upload(path: Optional[str], max_bytes: int, max_pixels: int) -> None:
    """Refuse a missing, oversized, unreadable or decompression-bomb upload from its size
    and its header (nothing is decoded here)."""
    from PIL import Image
    if not path or not osp.isfile(path):
        raise UploadError('Upload a photo first (or take a webcam frame).')
    size = osp.getsize(path)
    if size > max_bytes:
        raise UploadError(f'The file is {size / 2**20:.1f} MB; this demo takes photos up to '
                          f'{max_bytes / 2**20:.0f} MB.')
    try:
        with Image.open(path) as im:  # header only
            w, h = im.size
    except Exception:  # noqa: BLE001  (any file PIL cannot identify)
        raise UploadError('That file is not an image this demo can read (JPEG, PNG, BMP, '
                          'WebP).') from None
    if w * h > max_pixels:
        raise UploadError(f'The image is {w}x{h} pixels ({w * h / 1e6:.0f} megapixels); this '
                          f'demo takes up to {max_pixels / 1e6:.0f} megapixels.')


def parse_box(text: str) -> Optional[List[float]]:
    """``'x0 y0 x1 y1'`` (commas allowed) -> 4 floats; empty -> None."""
    text = (text or '').replace(',', ' ').strip()
    if not text:
        return None
    try:
        box = [float(v) for v in text.split()]
    except ValueError:
        box = []
    if len(box) != 4:
        raise UploadError(f'The box must be four numbers x0 y0 x1 y1 (pixels), got "{text}".')
    return box


def reconstruct(model, detector, path: str, box_text: str = '', object_choice: str = '',
                focal: Optional[float] = None, out_root: Optional[str] = None,
                max_bytes: int = 10 << 20, max_pixels: int = 40_000_000) -> Dict:
    """One upload through the image demo (:func:`image_demo.run_image_demo`): ``overlay``
    (path), ``scene`` (GLB path), ``json`` (path), ``record`` (the JSON), ``objects`` (the
    classifier's top three), ``message`` (Markdown) and ``seconds`` (upload to 3D scene).

    Raises:
        UploadError: a refused upload, an unreadable image, a bad box or no hand found;
            its message is meant for the page.
    """
    import json

    from image_demo import run_image_demo

    from hoverse.datasets.transforms.loading import ImageReadError
    from hoverse.detectors import NoHandFoundError
    t0 = time.perf_counter()
    check_upload(path, max_bytes, max_pixels)
    box = parse_box(box_text)
    if box is None and detector is None:
        raise UploadError('No hand detector is installed here: click two opposite corners '
                          'of the hand and the object on the photo (or type the box as '
                          'x0 y0 x1 y1) and press Reconstruct again.')
    name = None if object_choice in (None, '', CLASSIFIED) else object_choice
    out_dir = tempfile.mkdtemp(prefix='hoverse_web_', dir=out_root)
    try:
        out = run_image_demo(model, path, out_dir, bbox=box, object_name=name,
                             detector=None if box is not None else detector, export='glb',
                             focal=focal if focal else None)
    except NoHandFoundError:
        raise UploadError('No hand found in this photo. Click two opposite corners of the '
                          'hand and the object on the photo (or type the box as x0 y0 x1 y1) '
                          'and press Reconstruct again.') from None
    except (ImageReadError, KeyError, ValueError) as e:
        raise UploadError(str(e).strip('"')) from None
    with open(out['files']['json']) as f:
        record = json.load(f)
    det = out['detection']
    lines = []
    if det is not None:
        lines.append(f'**Hand**: {det.handedness}, detected ({det.attempt}).')
    else:
        lines.append('**Hand**: from the given box.')
    obj = out['object']
    if obj['top']:
        lines.append('**Object**: ' + ', '.join(f"{t['name']} {t['probability']:.2f}"
                                                for t in obj['top'])
                     + f" -> **{obj['name']}** ({obj['name_source']}).")
    lines.append(f"**Camera**: {out['camera_source']}. Reconstructed in "
                 f"{out['model_ms']:.0f} ms (model).")
    if out['render_error']:
        lines.append(f"No overlay: {out['render_error']}")
    seconds = time.perf_counter() - t0
    lines.append(f'Upload to 3D view: {seconds:.2f} s.')
    return dict(overlay=out['files'].get('overlay'), scene=out['files']['scene'],
                json=out['files']['json'], record=record, message='\n\n'.join(lines),
                objects=[t['name'] for t in obj['top']], seconds=seconds)


def build_app(model, detector, examples: List[str], max_bytes: int, max_pixels: int):
    """The Gradio page."""
    import gradio as gr
    names = list(model.templates.library.names) if model.templates.enabled else []

    def run(path, box_text, object_choice, focal):
        try:
            r = reconstruct(model, detector, path, box_text, object_choice, focal,
                            max_bytes=max_bytes, max_pixels=max_pixels)
        except UploadError as e:
            return None, None, None, None, f'**{e}**'
        return (r['overlay'], r['scene'], r['record'], [r['json'], r['scene']],
                r['message'])

    def click(first, evt: gr.SelectData):
        x, y = evt.index
        if first is None:
            return (x, y), f'{x} {y}'
        x0, y0 = first
        return None, f'{min(x, x0)} {min(y, y0)} {max(x, x0)} {max(y, y0)}'

    with gr.Blocks(title='hoverse: hand and object from one photo') as app:
        gr.Markdown('# hoverse: the hand and the object it holds, in 3D, from one photo\n'
                    'Upload a photo or take a webcam frame, then **Reconstruct**. The hand '
                    'is detected; to give the box yourself, click two opposite corners of '
                    'the hand and the object on the photo.')
        first = gr.State(None)
        with gr.Row():
            with gr.Column():
                photo = gr.Image(type='filepath', sources=['upload', 'webcam'], label='photo',
                                 elem_id='photo')
                box = gr.Textbox(label='hand-object box x0 y0 x1 y1 (optional)',
                                 elem_id='box')
                obj = gr.Dropdown([CLASSIFIED] + names, value=CLASSIFIED,
                                  label='object (overrides the classifier)', elem_id='object')
                focal = gr.Number(label='focal length in pixels (0: the photo\'s EXIF focal '
                                  'length, else the longer image side)', value=0,
                                  minimum=0, elem_id='focal')
                go = gr.Button('Reconstruct', variant='primary', elem_id='run')
                if examples:
                    gr.Examples(examples, inputs=photo, label='synthetic examples')
            with gr.Column():
                message = gr.Markdown(elem_id='message')
                overlay = gr.Image(label='overlay', elem_id='overlay', interactive=False)
                view = gr.Model3D(label='3D (drag to turn)', elem_id='view',
                                  clear_color=(1.0, 1.0, 1.0, 1.0))
                result = gr.JSON(label='result', elem_id='result')
                files = gr.File(label='downloads', file_count='multiple', elem_id='files')
        photo.select(click, inputs=first, outputs=[first, box])
        photo.change(lambda: (None, ''), outputs=[first, box])
        go.click(run, inputs=[photo, box, obj, focal],
                 outputs=[overlay, view, result, files, message])
    return app


def default_examples(model, count: int = 3) -> List[str]:
    """A few images of the config's synthetic test split, when it is on disk."""
    cfg = getattr(model, 'cfg', None)
    try:
        ds = cfg.test_dataloader.dataset
        root = ds.data_root
        with open(osp.join(root, ds.get('ann_file') or 'test.txt')) as f:
            ids = [line.split()[0] for line in f if line.strip()][:count]
    except (AttributeError, KeyError, OSError, TypeError):
        return []
    split = ds.get('split', 'train')
    paths = [osp.join(root, split, *i.split('/')[:1], 'rgb', i.split('/')[-1] + '.png')
             for i in ids]
    return [p for p in paths if osp.isfile(p)]


def main() -> None:
    from mmengine.config import DictAction
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('config')
    parser.add_argument('checkpoint')
    parser.add_argument('--host', default='127.0.0.1',
                        help='interface to listen on (0.0.0.0 opens the demo to the network)')
    parser.add_argument('--port', type=int, default=7860)
    parser.add_argument('--max-upload-mb', type=float, default=10.0)
    parser.add_argument('--max-pixels', type=float, default=40e6)
    parser.add_argument('--examples', nargs='*', help='example images (default: a few of '
                        "the config's synthetic test split)")
    parser.add_argument('--device', default='cpu')
    parser.add_argument('--cfg-options', nargs='+', action=DictAction, default={})
    args = parser.parse_args()
    os.environ.setdefault('PYOPENGL_PLATFORM', 'egl')
    try:
        import gradio  # noqa: F401
    except ImportError:
        raise SystemExit('error: the web demo needs Gradio: pip install --no-deps -r '
                         'requirements/web.txt') from None
    from PIL import Image

    from hoverse.apis import init_model
    from hoverse.detectors import build_hand_detector
    # uploads are checked against --max-pixels from their header (check_upload) before
    # anything decodes them; PIL's own limit would stop gradio with a bare error instead
    Image.MAX_IMAGE_PIXELS = None
    try:
        model = init_model(args.config, args.checkpoint, args.device,
                           cfg_options=args.cfg_options)
    except (FileNotFoundError, KeyError, RuntimeError, ValueError) as e:
        raise SystemExit(f'error: {e}')
    try:
        detector = build_hand_detector('mediapipe')
    except ImportError as e:
        print(f'warning: no hand detector ({e}); the page will ask for a box',
              file=sys.stderr)
        detector = None
    examples = args.examples if args.examples is not None else default_examples(model)
    max_bytes = int(args.max_upload_mb * 2**20)
    app = build_app(model, detector, examples, max_bytes, int(args.max_pixels))
    print(f'hoverse web demo on http://{args.host}:{args.port}', flush=True)
    app.launch(server_name=args.host, server_port=args.port, show_error=True,
               max_file_size=max_bytes)


if __name__ == '__main__':
    main()
