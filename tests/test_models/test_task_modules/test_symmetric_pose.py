import torch

from hoverse.geometry.symmetric_pose import SymmetryBatch
from hoverse.registry import TASK_UTILS


def test_fully_symmetric_objects_keep_only_the_centre_keypoint():
    assigner = TASK_UTILS.build(dict(type='hoverse.NearestSymmetricPose'))
    sym = SymmetryBatch.none(2)
    sym.full = torch.tensor([True, False])
    R = torch.eye(3).expand(2, 3, 3)
    _, _, rot_w, kpt_w = assigner(R, R, torch.zeros(2, 3), sym, 9)
    torch.testing.assert_close(rot_w, torch.tensor([0.0, 1.0]))
    assert kpt_w[0, :8].sum() == 0 and kpt_w[0, 8] == 1 and kpt_w[1].sum() == 9
