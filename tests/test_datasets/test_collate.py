import io
import pickle
from multiprocessing.reduction import ForkingPickler

import numpy as np
import pytest
import torch
from mmengine.config import Config
from mmengine.dataset import pseudo_collate
from mmengine.registry import FUNCTIONS as MMENGINE_FUNCTIONS
from mmengine.registry import init_default_scope
from mmengine.structures import InstanceData
from torch.utils.data import DataLoader

from hoverse.datasets.collate import CompactBatch, compact_collate, dumps_batch, loads_batch
from hoverse.registry import DATASETS
from hoverse.structures import HandObjectDataSample

CONFIGS = ['configs/_base_/datasets/synthetic.py', 'configs/_base_/datasets/ho3d_v2.py',
           'configs/_base_/datasets/dexycb_s0.py']


def _sample(i: int) -> dict:
    """A packed sample with tensors of the kinds a pipeline makes, and some it might."""
    gt = InstanceData()
    gt.joints_3d = torch.randn(1, 21, 3)
    gt.mask = torch.randint(0, 3, (1, 8, 8), dtype=torch.uint8)
    gt.has_mano = torch.ones(1, dtype=torch.bool)
    gt.labels = torch.tensor([i], dtype=torch.int64)
    gt.half = torch.randn(1, 4).to(torch.bfloat16)  # NumPy cannot hold it
    gt.strided = torch.randn(1, 4, 6)[..., ::2]  # not contiguous
    sample = HandObjectDataSample(metainfo=dict(sample_idx=i, obj_name='box'))
    sample.gt_instances = gt
    return dict(inputs=torch.randint(0, 255, (3, 16, 16), dtype=torch.uint8),
                data_samples=sample)


def _forking_round_trip(obj):
    """What a DataLoader worker's queue does to a collated batch."""
    buf = io.BytesIO()
    ForkingPickler(buf, pickle.HIGHEST_PROTOCOL).dump(obj)
    return pickle.loads(buf.getvalue())


def _assert_same_batch(a: dict, b: dict) -> None:
    assert set(a) == set(b) == {'inputs', 'data_samples'}
    for x, y in zip(a['inputs'], b['inputs'], strict=True):
        assert x.dtype == y.dtype and torch.equal(x, y)
    for s, t in zip(a['data_samples'], b['data_samples'], strict=True):
        assert s.metainfo.keys() == t.metainfo.keys()
        for k, v in s.metainfo.items():
            assert np.array_equal(v, t.metainfo[k]) if isinstance(v, np.ndarray) \
                else v == t.metainfo[k], k
        g, h = s.gt_instances, t.gt_instances
        assert set(g.keys()) == set(h.keys())
        for k in g.keys():
            assert g[k].dtype == h[k].dtype and g[k].shape == h[k].shape, k
            assert torch.equal(g[k], h[k]), k


def test_round_trip_keeps_every_tensor():
    samples = [_sample(i) for i in range(3)]
    batch = compact_collate(samples)
    assert isinstance(batch, CompactBatch)
    back = _forking_round_trip(batch)
    assert type(back) is dict  # the trainer gets an ordinary batch
    _assert_same_batch(back, pseudo_collate(samples))
    # the tensors own writable memory: in-place work in the trainer is safe
    mask = back['data_samples'][0].gt_instances.mask
    mask += 1
    assert torch.equal(mask, samples[0]['data_samples'].gt_instances.mask + 1)


def test_one_block_instead_of_a_segment_per_tensor():
    batch = compact_collate([_sample(i) for i in range(4)])
    blob = dumps_batch(dict(batch))
    assert isinstance(blob, bytes)
    # through the worker queue's pickler the data itself travels, inside the byte string;
    # torch's own reduction would have moved each storage to shared memory and sent handles
    sent = io.BytesIO()
    ForkingPickler(sent, pickle.HIGHEST_PROTOCOL).dump(batch)
    assert len(sent.getvalue()) > 4 * 3 * 16 * 16  # at least the inputs' bytes
    tensors = list(batch['inputs']) + [v for s in batch['data_samples']
                                       for v in s.gt_instances.values()]
    assert len(tensors) == 4 * 7
    assert not any(t.is_shared() for t in tensors)
    _assert_same_batch(loads_batch(blob), dict(batch))


def test_without_workers_the_batch_is_pseudo_collate_s():
    samples = [_sample(i) for i in range(2)]
    batch = compact_collate(samples)
    assert isinstance(batch, dict)
    assert batch['inputs'][1] is samples[1]['inputs']


def test_non_dict_samples_are_named():
    with pytest.raises(TypeError, match='PackHandObjectInputs'):
        compact_collate([torch.zeros(2), torch.zeros(2)])


def test_through_a_worker_on_the_rendered_set(synthetic_root, mano_dir):
    init_default_scope('hoverse')
    cfg = Config.fromfile('configs/hoverse_plus/hoverse_plus_r18_synthetic.py')
    d = cfg.train_dataloader.dataset
    d.update(data_root=synthetic_root, mano_path=mano_dir)
    # deterministic, so both loaders see the same samples; with the training masks
    d.pipeline = [dict(t, with_mask=True) if t['type'] == 'LoadImage' else t
                  for t in cfg.test_pipeline]
    ds = DATASETS.build(d)
    expected = pseudo_collate([ds[i] for i in range(3)])
    loader = DataLoader(ds, batch_size=3, num_workers=1, collate_fn=compact_collate)
    got = next(iter(loader))
    assert type(got) is dict
    _assert_same_batch(got, expected)
    assert got['data_samples'][0].gt_instances.mask.dtype == torch.uint8


@pytest.mark.parametrize('path', CONFIGS)
def test_dataset_configs_use_it(path):
    init_default_scope('hoverse')
    cfg = Config.fromfile(path)
    for loader in ('train_dataloader', 'val_dataloader', 'test_dataloader'):
        name = cfg[loader].collate_fn['type']
        # the lookup mmengine's Runner.build_dataloader makes
        assert MMENGINE_FUNCTIONS.get(name) is compact_collate, (path, loader)
