import numpy as np
import pytest
import torch

from hoverse.datasets import SyntheticHODataset
from hoverse.hand_models import MANOLayer


@pytest.fixture(scope='module')
def synthetic_root(tmp_path_factory, mano_dir):
    from hoverse.datasets.synthesis.generate import generate_synthetic_dataset
    root = str(tmp_path_factory.mktemp('synthetic'))
    stats = generate_synthetic_dataset(root, mano_dir, num_train=8, num_val=2, num_eval=2,
                                       seed=3, workers=1, progress=False)
    return root, stats


def test_generation_is_deterministic_and_penetration_small(synthetic_root, mano_dir, tmp_path):
    root, stats = synthetic_root
    assert stats['num_samples'] == 12 and stats['max_penetration_mm'] < 2.0
    from hoverse.datasets.synthesis.generate import generate_synthetic_dataset
    again = str(tmp_path / 'again')
    generate_synthetic_dataset(again, mano_dir, num_train=2, num_val=0, num_eval=0, seed=3,
                               workers=1, progress=False)
    import cv2
    for fid in ('0000', '0001'):
        a = cv2.imread(f'{root}/train/SYNT000/rgb/{fid}.png')
        b = cv2.imread(f'{again}/train/SYNT000/rgb/{fid}.png')
        assert np.array_equal(a, b)


def test_read_back_through_ho3d_loader(synthetic_root, mano_dir):
    root, _ = synthetic_root
    train = SyntheticHODataset(root, split='train', ann_file='train.txt', mano_path=mano_dir)
    val = SyntheticHODataset(root, split='train', ann_file='val.txt', mano_path=mano_dir)
    ev = SyntheticHODataset(root, split='evaluation', mano_path=mano_dir)
    assert (len(train), len(val), len(ev)) == (8, 2, 2)
    layer = MANOLayer(mano_dir)
    s = train.get_data_info(0)
    pose = torch.as_tensor(s['mano_pose'])[None]
    out = layer(pose[:, :3], pose[:, 3:], torch.as_tensor(s['mano_shape'])[None],
                torch.as_tensor(s['mano_transl'])[None])
    np.testing.assert_allclose(out['joints'][0].numpy(), s['joints_cam'], atol=1e-5)
    assert s['mask_path'] is not None
    # the rendered mask has hand (1) and object (2) pixels where the joints project
    import cv2
    mask = cv2.imread(s['mask_path'], cv2.IMREAD_UNCHANGED)
    assert set(np.unique(mask)) <= {0, 1, 2} and (mask == 1).sum() > 50 and (mask == 2).sum() > 50


def test_browse_dataset_writes_pictures(synthetic_root, mano_dir, tmp_path):
    from tests.conftest import run_tool
    root, _ = synthetic_root
    out = tmp_path / 'browse'
    run_tool(['tools/analysis_tools/browse_dataset.py', 'configs/_base_/datasets/synthetic.py',
              '--output-dir', str(out), '--num', '3', '--cfg-options',
              f'train_dataloader.dataset.data_root={root}',
              f'train_dataloader.dataset.mano_path={mano_dir}'])
    import cv2
    pics = sorted(out.glob('*.png'))
    assert len(pics) == 3 and cv2.imread(str(pics[0])).shape == (256, 256, 3)
