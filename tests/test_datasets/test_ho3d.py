import os
import pickle
import time

import numpy as np
import pytest
import torch

from hoverse.datasets import HO3Dv2Dataset
from hoverse.geometry import project_points
from hoverse.hand_models import MANOLayer
from hoverse.testing import write_ho3d_fixture
from hoverse.utils.safe_pickle import ForbiddenPickleGlobalError

GL = np.diag([1.0, -1.0, -1.0])


@pytest.fixture()
def ho3d_root(tmp_path, mano_dir):
    info = write_ho3d_fixture(str(tmp_path / 'HO3D_v2'), mano_dir)
    return str(tmp_path / 'HO3D_v2'), info


def _project_gl(joints_gl, K):
    """HO3D's own convention: change to the OpenCV frame, then the pinhole camMat."""
    cv = joints_gl @ GL.T
    uv = cv @ K.T
    return uv[:, :2] / uv[:, 2:]


def test_counts_units_and_opencv_frame(ho3d_root, mano_dir):
    root, info = ho3d_root
    ds = HO3Dv2Dataset(root, split='train', mano_path=mano_dir)
    assert len(ds) == 4 and ds.num_skipped == 1  # the None frame is counted, not fatal
    for i in range(len(ds)):
        s = ds.get_data_info(i)
        gl = info['joints_gl'][s['sample_id']]
        # projecting the loaded (OpenCV) joints with camMat matches HO3D's own projection
        np.testing.assert_allclose(project_points(s['joints_cam'], s['cam_K']),
                                   _project_gl(gl, s['cam_K']), atol=1e-3)
        assert s['joints_cam'][:, 2].min() > 0.3  # metres, in front of the camera
        assert np.allclose(s['root_cam'], s['joints_cam'][0])


def test_mano_parameters_reproduce_the_joints(ho3d_root, mano_dir):
    root, _ = ho3d_root
    ds = HO3Dv2Dataset(root, split='train', mano_path=mano_dir)
    layer = MANOLayer(mano_dir)
    for i in range(len(ds)):
        s = ds.get_data_info(i)
        pose = torch.as_tensor(s['mano_pose'])[None]
        out = layer(pose[:, :3], pose[:, 3:], torch.as_tensor(s['mano_shape'])[None],
                    torch.as_tensor(s['mano_transl'])[None])
        np.testing.assert_allclose(out['joints'][0].numpy(), s['joints_cam'], atol=1e-5)


def test_object_pose_converted(ho3d_root, mano_dir):
    root, _ = ho3d_root
    ds = HO3Dv2Dataset(root, split='train', mano_path=mano_dir)
    s = ds.get_data_info(0)
    with open(os.path.join(root, 'train', s['seq'], 'meta', s['frame'] + '.pkl'), 'rb') as f:
        meta = pickle.load(f, encoding='latin1')
    from scipy.spatial.transform import Rotation
    R_gl = Rotation.from_rotvec(meta['objRot'].ravel()).as_matrix()
    corners_gl = meta['objCorners3DRest'] @ R_gl.T + meta['objTrans']
    corners_cv = s['obj_corners_rest'] @ s['obj_rot'].T + s['obj_trans']
    np.testing.assert_allclose(corners_cv, corners_gl @ GL.T, atol=1e-6)
    assert np.isclose(np.linalg.det(s['obj_rot']), 1.0, atol=1e-5)


def test_evaluation_split_has_root_and_box_only(ho3d_root, mano_dir):
    root, info = ho3d_root
    ds = HO3Dv2Dataset(root, split='evaluation', mano_path=mano_dir)
    assert len(ds) == 2
    assert [ds.get_data_info(i)['sample_id'] for i in range(2)] == info['lists']['evaluation']
    s = ds.get_data_info(0)
    assert s['joints_cam'] is None and s['mano_pose'] is None and s['hand_bbox'].shape == (4, )
    np.testing.assert_allclose(s['root_cam'], GL @ info['joints_gl'][s['sample_id']][0],
                               atol=1e-6)


def test_index_is_cached(ho3d_root, mano_dir):
    root, _ = ho3d_root
    t0 = time.time()
    a = HO3Dv2Dataset(root, split='train', mano_path=mano_dir)
    first = time.time() - t0
    b = HO3Dv2Dataset(root, split='train', mano_path=mano_dir)
    assert not a.index_from_cache and b.index_from_cache and b.num_skipped == 1
    assert [b.get_data_info(i)['sample_id'] for i in range(4)] == \
        [a.get_data_info(i)['sample_id'] for i in range(4)]
    assert first > 0


def test_unannotated_frames_can_be_fatal(ho3d_root, mano_dir):
    root, _ = ho3d_root
    with pytest.raises(ValueError, match=r'0004\.pkl: handJoints3D is None'):
        HO3Dv2Dataset(root, split='train', mano_path=mano_dir, skip_unannotated=False,
                      index_cache_dir=os.path.join(root, 'nocache'))


def test_missing_meta_and_missing_root_are_named(ho3d_root, mano_dir, tmp_path):
    root, _ = ho3d_root
    os.remove(os.path.join(root, 'train', 'ABF10', 'meta', '0001.pkl'))
    with pytest.raises(FileNotFoundError, match=r'ABF10/meta/0001\.pkl'):
        HO3Dv2Dataset(root, split='train', mano_path=mano_dir,
                      index_cache_dir=str(tmp_path / 'c'))
    with pytest.raises(FileNotFoundError, match='data_root'):
        HO3Dv2Dataset(str(tmp_path / 'nowhere'), mano_path=mano_dir)


def test_meta_pickle_payload_refused(ho3d_root, mano_dir, tmp_path):
    root, _ = ho3d_root
    marker = tmp_path / 'ran'

    class Evil:
        def __reduce__(self):
            return (os.system, (f'touch {marker}', ))

    path = os.path.join(root, 'train', 'ABF10', 'meta', '0000.pkl')
    with open(path, 'rb') as f:
        meta = pickle.load(f, encoding='latin1')
    meta['x'] = Evil()
    with open(path, 'wb') as f:
        pickle.dump(meta, f, protocol=2)
    with pytest.raises(ForbiddenPickleGlobalError, match='system'):
        HO3Dv2Dataset(root, split='train', mano_path=mano_dir,
                      index_cache_dir=str(tmp_path / 'c'))
    assert not marker.exists()
