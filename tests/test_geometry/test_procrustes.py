import numpy as np
import torch
from scipy.spatial.transform import Rotation

from hoverse.geometry import similarity_procrustes, similarity_procrustes_torch


def _case(seed=0):
    rng = np.random.RandomState(seed)
    src = rng.randn(21, 3)
    R = Rotation.from_rotvec(rng.randn(3)).as_matrix()
    s, t = 1.7, rng.randn(3)
    return src, s, R, t, s * src @ R.T + t


def test_recovers_known_similarity():
    src, s, R, t, dst = _case()
    s2, R2, t2 = similarity_procrustes(src, dst)
    assert np.isclose(s2, s) and np.allclose(R2, R) and np.allclose(t2, t)


def test_torch_batched_matches_numpy():
    cases = [_case(i) for i in range(3)]
    src = torch.tensor(np.stack([c[0] for c in cases]))
    dst = torch.tensor(np.stack([c[4] for c in cases]))
    s, R, t = similarity_procrustes_torch(src, dst)
    for i, c in enumerate(cases):
        assert np.isclose(s[i].item(), c[1]) and np.allclose(R[i].numpy(), c[2])
        assert np.allclose(t[i].numpy(), c[3])


def test_reflection_is_not_used_unless_allowed():
    src = np.random.RandomState(3).randn(10, 3)
    dst = src * np.array([-1.0, 1.0, 1.0])  # a mirror image
    _, R, _ = similarity_procrustes(src, dst)
    assert np.isclose(np.linalg.det(R), 1.0)
    _, R_ref, _ = similarity_procrustes(src, dst, allow_reflection=True)
    assert np.isclose(np.linalg.det(R_ref), -1.0)
    assert np.allclose(R_ref, np.diag([-1.0, 1.0, 1.0]))
