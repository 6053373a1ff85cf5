"""The main job behind `make demo`: surrogate assets, the synthetic set, and a quickstart
training of hoverse_r18_synthetic (validated on held-out synthetic samples).

Re-running reuses what exists: assets, the synthetic set and a finished checkpoint.
"""
import argparse
import glob
import os
import os.path as osp
import subprocess
import sys
import time

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
sys.path.insert(0, ROOT)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--iters', type=int, default=300, help='training iterations')
    parser.add_argument('--num-train', type=int, default=800)
    parser.add_argument('--work-dir', default='work_dirs/hoverse_r18_synthetic')
    args = parser.parse_args()
    os.chdir(ROOT)
    os.environ.setdefault('PYOPENGL_PLATFORM', 'egl')
    t0 = time.time()
    if not osp.isfile('data/mano/MANO_RIGHT.pkl'):
        from hoverse.hand_models.surrogate import write_surrogate_mano
        print('[demo] writing the surrogate MANO model to data/mano', flush=True)
        write_surrogate_mano('data/mano')
    if not osp.isfile('data/synthetic/evaluation_xyz.json'):
        print('[demo] rendering the synthetic set to data/synthetic', flush=True)
        from hoverse.datasets.synthesis.generate import generate_synthetic_dataset
        stats = generate_synthetic_dataset('data/synthetic', 'data/mano', args.num_train, 100,
                                           100)
        print(f"[demo] {stats['num_samples']} samples in {stats['seconds']:.0f} s", flush=True)
    final = osp.join(args.work_dir, f'iter_{args.iters}.pth')
    if not osp.isfile(final):
        print(f'[demo] training hoverse_r18_synthetic for {args.iters} iterations', flush=True)
        cmd = [sys.executable, 'tools/train.py', 'configs/hoverse/hoverse_r18_synthetic.py',
               '--work-dir', args.work_dir, '--cfg-options', f'train_cfg.max_iters={args.iters}',
               f'train_cfg.val_interval={args.iters}',
               f'default_hooks.checkpoint.interval={args.iters}']
        if glob.glob(osp.join(args.work_dir, 'iter_*.pth')):
            cmd.append('--resume')
        subprocess.run(cmd, check=True)
    print(f'[demo] evaluating {final}', flush=True)
    subprocess.run([sys.executable, 'tools/test.py', 'configs/hoverse/hoverse_r18_synthetic.py',
                    final, '--work-dir', osp.join(args.work_dir, 'test')], check=True)
    print(f'[demo] done in {time.time() - t0:.0f} s; checkpoint: {final}', flush=True)


if __name__ == '__main__':
    main()
