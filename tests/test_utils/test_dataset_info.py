import pytest

from hoverse.datasets import SyntheticHODataset
from hoverse.utils.dataset_info import parse_dataset_info
from hoverse.datasets.metainfo import HAND_OBJECT_INFO
from hoverse.hand_models.joint_orders import (CANONICAL_JOINT_NAMES, CANONICAL_SKELETON,
                                              OBJECT_KEYPOINT_NAMES, OBJECT_SKELETON)


def test_shipped_description_matches_the_canonical_order():
    info = parse_dataset_info(dict(from_file=HAND_OBJECT_INFO, dataset_name='x'))
    assert tuple(info['joint_names']) == CANONICAL_JOINT_NAMES
    assert tuple(info['skeleton']) == CANONICAL_SKELETON
    assert tuple(info['object_keypoint_names']) == OBJECT_KEYPOINT_NAMES
    assert tuple(info['object_skeleton']) == OBJECT_SKELETON
    assert info['num_joints'] == 21 and info['num_object_kpts'] == 9
    assert info['dataset_name'] == 'x'  # the dataset's own keys win


def _write(tmp_path, **changes):
    text = open(HAND_OBJECT_INFO).read()
    path = tmp_path / 'info.py'
    path.write_text(text + ''.join(f'\ndataset_info[{k!r}] = {v!r}' for k, v in changes.items()))
    return str(path)


def test_bad_descriptions_are_named(tmp_path):
    with pytest.raises(FileNotFoundError, match='nowhere.py'):
        parse_dataset_info(dict(from_file=str(tmp_path / 'nowhere.py')))
    with pytest.raises(ValueError, match=r'info.py: skeleton entry \[3, 21\]'):
        parse_dataset_info(dict(from_file=_write(tmp_path, skeleton=[[1, 0], [3, 21]])))
    with pytest.raises(ValueError, match='repeats a name'):
        parse_dataset_info(dict(from_file=_write(
            tmp_path, object_keypoint_names=['a'] * 9)))


def test_datasets_read_their_description_and_a_config_can_replace_it(
        synthetic_root, mano_dir, tmp_path):
    ds = SyntheticHODataset(synthetic_root, split='train', ann_file='val.txt',
                            mano_path=mano_dir, test_mode=True)
    assert ds.metainfo['dataset_name'] == 'synthetic'
    assert tuple(ds.metainfo['skeleton']) == CANONICAL_SKELETON
    custom = _write(tmp_path, skeleton=[[1, 0]])
    ds = SyntheticHODataset(synthetic_root, split='train', ann_file='val.txt',
                            mano_path=mano_dir, test_mode=True,
                            metainfo=dict(from_file=custom))
    assert ds.metainfo['skeleton'] == [(1, 0)] and ds.metainfo['dataset_name'] == 'synthetic'
