import numpy as np
import pytest
import torch

from hoverse.datasets import DexYCBDataset
from hoverse.datasets.dexycb_splits import SUBJECTS, split_indices
from hoverse.geometry import project_points
from hoverse.hand_models import MANOLayer
from hoverse.hand_models.joint_orders import CANONICAL_FROM_DEXYCB
from hoverse.testing import write_dexycb_fixture


@pytest.fixture()
def dex(tmp_path, mano_dir, objects_dir):
    root = str(tmp_path / 'dex_ycb')
    info = write_dexycb_fixture(root, mano_dir, objects_dir)
    return root, info


def _build(root, mano_dir, info, split='train', setup='s0'):
    return DexYCBDataset(root, setup=setup, split=split, subjects=[SUBJECTS[0]],
                         serials=info['serials'], mano_path=mano_dir)


def test_official_split_tables():
    subj, cams, seqs = split_indices('s0', 'train')
    assert len(subj) == 10 and len(cams) == 8 and len(seqs) == 80 and 4 not in seqs
    assert split_indices('s0', 'test')[0] == [2, 3, 4, 5, 6, 7, 8, 9]
    assert split_indices('s1', 'val')[0] == [6]
    assert split_indices('s2', 'test')[1] == [7]
    assert split_indices('s3', 'val')[2] == [i for i in range(100) if i // 5 in (3, 19)]
    with pytest.raises(ValueError, match='s0-s3'):
        split_indices('s4', 'train')


def test_counts_exclude_frames_without_hand(dex, mano_dir):
    root, info = dex
    train = _build(root, mano_dir, info)
    # 4 sequences x 2 cameras x (3 frames - 1 without hand)
    assert len(train) == 16 and train.num_skipped == 8
    val = _build(root, mano_dir, info, split='val')
    assert len(val) == 4 and {val.get_data_info(i)['seq'] for i in range(4)} == \
        {f'{SUBJECTS[0]}/20200709_140004'}
    with pytest.raises(ValueError, match='no usable samples'):
        _build(root, mano_dir, info, split='test')  # the fixture has no test subjects


def test_projection_and_mano_consistency(dex, mano_dir):
    root, info = dex
    ds = _build(root, mano_dir, info)
    layer = MANOLayer(mano_dir)
    for i in range(len(ds)):
        s = ds.get_data_info(i)
        rec = info['records'][(s['seq'].split('/')[1], s['serial'], s['frame'])]
        uv = project_points(s['joints_cam'], s['cam_K'])
        expected = rec['joint_2d'][list(CANONICAL_FROM_DEXYCB)]
        if s['is_left']:  # mirrored image: u -> W - 1 - u
            expected = expected * [-1, 1] + [639, 0]
        np.testing.assert_allclose(uv, expected, atol=1e-2)
        pose = torch.as_tensor(s['mano_pose'])[None]
        out = layer(pose[:, :3], pose[:, 3:], torch.as_tensor(s['mano_shape'])[None],
                    torch.as_tensor(s['mano_transl'])[None])
        np.testing.assert_allclose(out['joints'][0].numpy(), s['joints_cam'], atol=2e-5)


def test_left_hand_mirror_round_trip(dex, mano_dir):
    root, info = dex
    ds = _build(root, mano_dir, info)
    lefts = [ds.get_data_info(i) for i in range(len(ds)) if ds.get_data_info(i)['is_left']]
    assert len(lefts) == 4
    for s in lefts:
        rec = info['records'][(s['seq'].split('/')[1], s['serial'], s['frame'])]
        back = DexYCBDataset.unmirror_points(s['joints_cam'], True)
        np.testing.assert_allclose(back, rec['joint_3d'][list(CANONICAL_FROM_DEXYCB)],
                                   atol=1e-6)
        assert s['flip_image'] and s['obj_mirrored']
        assert np.isclose(np.linalg.det(s['obj_rot']), 1.0, atol=1e-5)


def test_grasped_object_is_selected(dex, mano_dir):
    root, info = dex
    s = _build(root, mano_dir, info).get_data_info(0)
    assert s['obj_name'] == '006_mustard_bottle'
    lbl = np.load(f"{root}/{s['seq']}/{s['serial']}/labels_{s['frame']:06d}.npz")
    np.testing.assert_allclose(s['obj_trans'], lbl['pose_y'][1][:, 3], atol=1e-6)


def test_half_downloaded_root_names_the_missing_file(dex, mano_dir):
    import glob
    import os
    root, info = dex
    label = sorted(glob.glob(os.path.join(root, '**', 'labels_*.npz'), recursive=True))[0]
    os.remove(label)
    with pytest.raises(FileNotFoundError, match=os.path.basename(label)):
        _build(root, mano_dir, info)
    meta = sorted(glob.glob(os.path.join(root, '**', 'meta.yml'), recursive=True))[0]
    os.remove(meta)
    with pytest.raises(FileNotFoundError, match='meta.yml'):
        _build(root, mano_dir, info)


def test_official_index_counts_frames_without_a_hand(dex, mano_dir):
    root, info = dex
    ds = _build(root, mano_dir, info)
    idx = [ds.get_data_info(i)['official_index'] for i in range(len(ds))]
    # every (sequence, camera, frame) is numbered, the skipped ones too: the fixture's
    # last frame of each 3-frame sequence has no hand
    total = len(ds) + ds.num_skipped
    assert ds.num_skipped > 0 and idx == [i for i in range(total) if i % 3 != 2]
