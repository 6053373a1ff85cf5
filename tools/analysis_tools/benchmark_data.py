"""Input-pipeline throughput: samples per second of one worker, and the cost of each
transform of a config's train pipeline.

Usage:
    python tools/analysis_tools/benchmark_data.py CONFIG [--num-samples 200] [--size 256]
    python tools/analysis_tools/benchmark_data.py CONFIG --fixture ho3d|dexycb
        [--decode config|full|crop]

The worker's work is read-and-transform: the dataset's annotation for the index, then each
transform in turn, timed (one process, as a data-loader worker runs them). ``--size`` crops
at that side (the TopDownAffine ``input_size``). ``--fixture`` builds small HO3D v2 or
Dex-YCB folders in their official formats (``hoverse.testing``, surrogate MANO and
procedural objects) and runs the config's train pipeline over them; a worker's
throughput scales with the number of workers up to the machine's cores. ``--loader N``
also times the config's DataLoader with ``N`` workers. Prints a table, writes JSON.
"""
import argparse
import os.path as osp
import tempfile
import time


def fixture_dataset(kind: str, pipeline, tmp: str):
    """A small HO3D v2 / Dex-YCB folder in its official format and its train dataset."""
    from hoverse.datasets import DexYCBDataset, HO3Dv2Dataset
    from hoverse.hand_models.surrogate import write_surrogate_mano
    from hoverse.objects.procedural import write_procedural_objects
    mano, models = osp.join(tmp, 'mano'), osp.join(tmp, 'models')
    write_surrogate_mano(mano)
    write_procedural_objects(models)
    if kind == 'ho3d':
        from hoverse.testing import write_ho3d_fixture
        root = osp.join(tmp, 'HO3D_v2')
        write_ho3d_fixture(root, mano, models)
        return HO3Dv2Dataset(root, split='train', mano_path=mano, models_root=models,
                             pipeline=pipeline)
    from hoverse.testing import write_dexycb_fixture
    root = osp.join(tmp, 'dex_ycb')
    info = write_dexycb_fixture(root, mano, models)
    from hoverse.datasets.dexycb_splits import SUBJECTS
    return DexYCBDataset(root, setup='s0', split='train', subjects=[SUBJECTS[0]],
                         serials=info['serials'], mano_path=mano, pipeline=pipeline)


def time_transforms(dataset, num: int):
    """Seconds per sample of the annotation read and of each transform (one process)."""
    steps = dataset.pipeline.transforms
    names = ['get_data_info'] + [type(t).__name__ for t in steps]
    spent = [0.0] * len(names)
    n = 0
    for i in range(num):
        idx = i % len(dataset)
        t0 = time.perf_counter()
        results = dataset.get_data_info(idx)
        spent[0] += time.perf_counter() - t0
        for k, t in enumerate(steps, 1):
            t0 = time.perf_counter()
            results = t(results)
            spent[k] += time.perf_counter() - t0
        n += 1
    return {name: s / n for name, s in zip(names, spent)}


def time_loader(cfg, workers: int, batches: int) -> float:
    """Samples per second through the config's DataLoader with ``workers`` workers."""
    from mmengine.runner import Runner
    loader_cfg = dict(cfg.train_dataloader, num_workers=workers,
                      persistent_workers=workers > 0)
    loader = Runner.build_dataloader(loader_cfg, seed=0)
    it = iter(loader)
    next(it)  # start-up
    t0 = time.perf_counter()
    count = 0
    for _ in range(batches):
        count += len(next(it)['inputs'])
    return count / (time.perf_counter() - t0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('config')
    parser.add_argument('--fixture', choices=['ho3d', 'dexycb'],
                        help='run on a small official-format fixture instead of the '
                        "config's data")
    parser.add_argument('--num-samples', type=int, default=200)
    parser.add_argument('--size', type=int, help='crop side (default: the config)')
    parser.add_argument('--loader', type=int, default=-1, metavar='WORKERS',
                        help='also time the DataLoader with this many workers')
    parser.add_argument('--loader-batches', type=int, default=10)
    parser.add_argument('--decode', choices=['config', 'full', 'crop'], default='config',
                        help="JPEG decoding: as the config's LoadImage says, always at full "
                        'size, or deferred to the crop and reduced (decode_at_crop_size; '
                        "its time then counts in TopDownAffine's)")
    parser.add_argument('--out', help='write the results as JSON here')
    args = parser.parse_args()
    import cv2
    from mmengine.config import Config
    from mmengine.registry import init_default_scope

    from hoverse.registry import DATASETS
    cv2.setNumThreads(1)  # as in a data-loader worker (opencv_num_threads=0 -> 1 here)
    cfg = Config.fromfile(args.config)
    from hoverse.utils.config import resolve_dataloader_workers
    resolve_dataloader_workers(cfg)
    init_default_scope(cfg.get('default_scope', 'hoverse'))
    pipeline = [dict(t) for t in cfg.train_dataloader.dataset.pipeline]
    if args.size:
        for t in pipeline:
            if t['type'] == 'TopDownAffine':
                t['input_size'] = (args.size, args.size)
    if args.decode != 'config':
        pipeline = [dict(t, decode_at_crop_size=args.decode == 'crop')
                    if t['type'] == 'LoadImage' else t for t in pipeline]
    size = next((t['input_size'] for t in pipeline if t['type'] == 'TopDownAffine'), None)
    with tempfile.TemporaryDirectory(prefix='hoverse_data_') as tmp:
        if args.fixture:
            # their loaders read no masks
            pipeline = [dict(t, with_mask=False) if t['type'] == 'LoadImage' else t
                        for t in pipeline]
            ds = fixture_dataset(args.fixture, pipeline, tmp)
        else:
            ds = DATASETS.build(dict(cfg.train_dataloader.dataset, pipeline=pipeline))
        ds.full_init()
        time_transforms(ds, min(5, args.num_samples))  # warm-up: caches, templates
        per = time_transforms(ds, args.num_samples)
    total = sum(per.values())
    result = dict(config=args.config, data=args.fixture or 'config', crop=list(size or []),
                  decode=args.decode,
                  samples=args.num_samples, ms_per_sample={k: v * 1000 for k, v in per.items()},
                  samples_per_s_per_worker=1.0 / total)
    print(f"{result['data']} data, crop {size}, {args.num_samples} samples, one worker")
    for k, v in result['ms_per_sample'].items():
        print(f'  {k:<22}{v:>8.2f} ms  {v / (total * 1000) * 100:5.1f} %')
    print(f"  samples/s per worker  {result['samples_per_s_per_worker']:.1f}")
    if args.loader >= 0 and not args.fixture:
        result['loader_workers'] = args.loader
        result['loader_samples_per_s'] = time_loader(cfg, args.loader, args.loader_batches)
        print(f"  DataLoader, {args.loader} workers: {result['loader_samples_per_s']:.1f} "
              'samples/s')
    if args.out:
        from hoverse.utils.json_io import write_json
        write_json(args.out, result)


if __name__ == '__main__':
    main()
