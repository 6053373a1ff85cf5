"""A faulty sample in a long run: stop by default, or skip and count up to a limit."""
import shutil

import pytest

from hoverse.datasets import SyntheticHODataset
from hoverse.datasets.transforms.loading import ImageReadError

PIPE = [dict(type='hoverse.LoadImage')]


@pytest.fixture
def broken_copy(tmp_path, synthetic_root):
    """A copy of the small synthetic set with its first two training images corrupted."""
    root = tmp_path / 'syn'
    shutil.copytree(synthetic_root, root, ignore=shutil.ignore_patterns('.hoverse_index'))
    return root


def _dataset(root, mano_dir, **kwargs):
    return SyntheticHODataset(str(root), split='train', ann_file='train.txt',
                              mano_path=mano_dir, pipeline=PIPE, **kwargs)


def _corrupt(ds, indices):
    paths = [ds.get_data_info(i)['img_path'] for i in indices]
    for p in paths:
        with open(p, 'wb') as f:
            f.write(b'not an image')
    return paths


def test_default_stops_and_names_the_file(broken_copy, mano_dir):
    ds = _dataset(broken_copy, mano_dir)
    (bad,) = _corrupt(ds, [0])
    with pytest.raises(ImageReadError, match=bad.split('/')[-1]):
        ds[0]


def test_skip_logs_counts_and_replaces(broken_copy, mano_dir):
    ds = _dataset(broken_copy, mano_dir,
                  bad_sample_policy=dict(action='skip', max_skipped=2))
    bad = _corrupt(ds, [0, 1])
    good = ds[0]  # samples 0 and 1 are unreadable: sample 2 stands in
    assert good['img_path'] == ds.get_data_info(2)['img_path']
    assert ds.bad_samples == bad
    with pytest.raises(RuntimeError, match='more than bad_sample_policy.max_skipped=2'):
        ds[1]  # the third bad read passes the limit


def test_test_mode_never_skips_and_bad_policies_are_named(broken_copy, mano_dir):
    ds = _dataset(broken_copy, mano_dir, test_mode=True,
                  bad_sample_policy=dict(action='skip', max_skipped=5))
    _corrupt(ds, [0])
    with pytest.raises(ImageReadError):
        ds[0]
    with pytest.raises(ValueError, match='bad_sample_policy'):
        _dataset(broken_copy, mano_dir, bad_sample_policy=dict(action='ignore'))
    with pytest.raises(ValueError, match='bad_sample_policy'):
        _dataset(broken_copy, mano_dir, bad_sample_policy=dict(action='skip', limit=3))
