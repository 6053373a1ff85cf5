"""The main job behind `make demo`: surrogate assets, the synthetic set, a quickstart
training of hoverse_plus_r18_synthetic, its evaluation, and the image demo on held-out images.

Re-running reuses what exists (assets, the synthetic set, a finished checkpoint, its
evaluation) and only re-runs the image demo.
"""
import argparse
import glob
import json
import os
import os.path as osp
import subprocess
import sys
import time

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))


def load_script(path: str):
    """Import a script of this checkout (``demo/`` is not part of the package)."""
    import importlib.util
    spec = importlib.util.spec_from_file_location(osp.splitext(osp.basename(path))[0],
                                                  osp.join(ROOT, path))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


CONFIG = 'configs/hoverse_plus/hoverse_plus_r18_synthetic.py'


def demo_inputs(data_root: str, mano: str, count: int):
    """(image path, crop box, camera, object name) of the first ``count`` test samples, the
    crop grown from the hand box of their true joints as the config's test pipeline does."""
    import cv2
    from mmengine.config import Config

    from hoverse.datasets import SyntheticHODataset
    from hoverse.datasets.transforms import HandObjectCropBox
    prior = Config.fromfile(CONFIG).hand_object_prior
    ds = SyntheticHODataset(data_root, split='train', ann_file='test.txt', mano_path=mano,
                            test_mode=True, pipeline=[])
    crop = HandObjectCropBox(sources=('joints', ), prior=dict(prior))
    out = []
    for i in range(min(count, len(ds))):
        info = ds.get_data_info(i)
        info['img_shape'] = cv2.imread(info['img_path']).shape[:2]
        box = crop(info)['bbox']
        out.append((info['img_path'], [float(v) for v in box], info['cam_K'],
                    info['obj_name']))
    return out


def quickstart_baselines():
    """The trivial baselines of the quickstart config on its test split."""
    from mmengine.config import Config
    from mmengine.registry import init_default_scope

    from hoverse.analysis.baselines import compute_baselines
    from hoverse.registry import DATASETS
    cfg = Config.fromfile(CONFIG)
    init_default_scope('hoverse')
    sets = [DATASETS.build(dict(cfg[f'{p}_dataloader'].dataset, pipeline=[]))
            for p in ('train', 'test')]
    return compute_baselines(*sets, cfg.model.object_models_root)


def set_aside_stale_run(work_dir: str, final: str, cfg_options: dict = None) -> None:
    """Rename ``work_dir`` to ``<work_dir>.stale-<time>`` when its checkpoint was trained
    with an earlier version of the config (its weights do not fit the model any more), so
    that the quickstart trains afresh and nothing already written is lost."""
    ckpts = [final] if osp.isfile(final) else sorted(
        glob.glob(osp.join(work_dir, 'iter_*.pth')), key=osp.getmtime)[-1:]
    if not ckpts:
        return
    from hoverse.apis import init_model
    from hoverse.engine import CheckpointMismatchError
    try:
        init_model(CONFIG, ckpts[0], cfg_options=cfg_options)
        return
    except CheckpointMismatchError as err:
        reason = str(err).splitlines()[0]
    stale = f"{work_dir}.stale-{time.strftime('%Y%m%d-%H%M%S')}"
    os.rename(work_dir, stale)
    print(f'[demo] {ckpts[0]} does not fit the current config ({reason}); moved the old run '
          f'to {stale} and training afresh', flush=True)


def print_scores(m: dict) -> None:
    from hoverse.analysis.baselines import METRIC_BASELINES
    print('[demo] held-out scores (model | trivial baseline):', flush=True)
    for key, base, unit in METRIC_BASELINES:
        if key in m:
            b = f'{m[base]:.1f}' if base in m else 'n/a'
            print(f'[demo]   {key:<28} {m[key]:7.1f} {unit} | {base} {b}', flush=True)
    for key in ('object/center_error', 'object/add_s_auto', 'object/mssd',
                'contact/penetration_depth'):
        if key in m:
            print(f'[demo]   {key:<28} {m[key]:7.1f}', flush=True)


def train_command(work_dir: str, iters: int, amp: bool, resume: bool) -> list:
    """``tools/train.py`` for the quickstart schedule: ``iters`` iterations, validated and
    saved once at the end; ``amp``: bf16 autocast (1.43x the images/s of float32 on the
    reference 2 cores, which have AVX512-BF16; CPUs without it may get slower)."""
    cmd = [sys.executable, 'tools/train.py', CONFIG, '--work-dir', work_dir,
           '--cfg-options', f'train_cfg.max_iters={iters}', f'train_cfg.val_interval={iters}',
           f'default_hooks.checkpoint.interval={iters}']
    return cmd + ['--amp'] * amp + ['--resume'] * resume


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--iters', type=int, default=600, help='training iterations')
    parser.add_argument('--num-train', type=int, default=800)
    parser.add_argument('--amp', action='store_true',
                        help='train in bf16 autocast (faster on CPUs with AVX512-BF16 or AMX)')
    parser.add_argument('--num-demo-images', type=int, default=4)
    parser.add_argument('--work-dir', default='work_dirs/hoverse_plus_r18_synthetic')
    args = parser.parse_args()
    os.chdir(ROOT)
    os.environ.setdefault('PYOPENGL_PLATFORM', 'egl')
    t0 = time.time()
    if not osp.isfile('data/mano/MANO_RIGHT.pkl'):
        from hoverse.hand_models.surrogate import write_surrogate_mano
        print('[demo] writing the surrogate MANO model to data/mano', flush=True)
        write_surrogate_mano('data/mano')
    if not osp.isfile('data/synthetic/test.txt'):  # absent too from sets of older releases
        print('[demo] rendering the synthetic set to data/synthetic', flush=True)
        from hoverse.synthesis.generate import generate_synthetic_dataset
        stats = generate_synthetic_dataset('data/synthetic', 'data/mano', args.num_train, 100,
                                           100, 100)
        print(f"[demo] {stats['num_samples']} samples in {stats['seconds']:.0f} s", flush=True)
    final = osp.join(args.work_dir, f'iter_{args.iters}.pth')
    set_aside_stale_run(args.work_dir, final)
    if not osp.isfile(final):
        print(f'[demo] training hoverse_plus_r18_synthetic for {args.iters} iterations '
              f"(about {0.9 if args.amp else 1.2} s each on 2 CPU cores)", flush=True)
        resume = bool(glob.glob(osp.join(args.work_dir, 'iter_*.pth')))
        subprocess.run(train_command(args.work_dir, args.iters, args.amp, resume), check=True)
    scores = osp.join(args.work_dir, 'test', 'scores.json')
    if not osp.isfile(scores) or 'baseline/hand_pa_mpjpe' not in json.load(open(scores)):
        print(f'[demo] evaluating {final} on the held-out synthetic samples', flush=True)
        subprocess.run([sys.executable, 'tools/test.py', CONFIG, final, '--work-dir',
                        osp.join(args.work_dir, 'test')], check=True)
        with open(scores) as f:  # tools/test.py's metrics and meta, with the baselines
            metrics = json.load(f)
        metrics.update(quickstart_baselines())
        from hoverse.utils.json_io import write_json
        write_json(scores, metrics)
    curves = osp.join(args.work_dir, 'curves.png')
    if not osp.isfile(curves):
        from hoverse.analysis.learning_curves import plot_learning_curves
        plot_learning_curves(args.work_dir, curves)
    print('[demo] image demo on held-out synthetic images', flush=True)
    run_image_demo = load_script('demo/image_demo.py').run_image_demo
    from hoverse.apis import init_model
    model = init_model(CONFIG, final)
    out_dir = osp.join(args.work_dir, 'demo')
    for path, bbox, K, name in demo_inputs('data/synthetic', 'data/mano',
                                           args.num_demo_images):
        res = run_image_demo(model, path, out_dir, bbox, name, K)
        shown = res['files'].get('overlay', res['files']['json'])
        print(f"[demo]   {shown}  ({res['model_ms']:.0f} ms)", flush=True)
        if res['render_error']:
            print(f"[demo]   no overlay: {res['render_error']}", flush=True)
    if osp.isfile(scores):
        with open(scores) as f:
            print_scores(json.load(f))
    print(f'[demo] done in {time.time() - t0:.0f} s. Pictures: {out_dir}/*_overlay.png '
          f'(meshes over the image), *_side.png, *_joints2d.png; learning curves: {curves}; '
          f'scores: {scores}; checkpoint: {final}', flush=True)


if __name__ == '__main__':
    main()
