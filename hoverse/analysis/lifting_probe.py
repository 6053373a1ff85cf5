"""How much of the hand's articulation its 2D joints carry: a lifting probe.

A small MLP lifts the layout of the 2D joints (relative to the wrist, scaled to unit
extent: :func:`hoverse.models.heads.base_head.kpt_layout`, what
``MANOHead(use_kpt_layout=True)`` reads) to root-relative 3D joints. It is trained on the
training split's true 2D joints with Gaussian noise added and scored (PA-MPJPE, mm) on the
test split at the same noise. The noise is given as the mean 2D joint error as a fraction of
the hand's 2D extent (the longer side of its joints' box): a model's ``hand/kpt2d_error``
divided by the hand's extent in the crop reads off the articulation error that 2D joints as
good as the model's allow, if nothing but their layout is used.

Beside it, the Procrustes mean of the training joints (``baseline_pa_mpjpe``): the
articulation error of a model that reads nothing from the image. The probe reads
annotations only (no images).
"""
from typing import Dict, Iterable, Sequence, Tuple

import numpy as np
import torch
import torch.nn as nn

from hoverse.evaluation.functional import align_procrustes
from hoverse.models.heads.regressor_inputs import kpt_layout

#: mean of a 2D isotropic Gaussian's radius over its per-axis sigma (Rayleigh: sqrt(pi / 2))
RAYLEIGH_MEAN = float(np.sqrt(np.pi / 2))


def projected_joints(dataset) -> Tuple[np.ndarray, np.ndarray]:
    """``uv (N, 21, 2)`` (image pixels) and root-relative ``joints (N, 21, 3)`` (metres,
    camera frame) of every sample of ``dataset`` (``get_data_info`` with ``joints_cam``
    and ``cam_K``)."""
    uvs, joints = [], []
    for i in range(len(dataset)):
        info = dataset.get_data_info(i)
        J = np.asarray(info['joints_cam'], np.float64)
        p = J @ np.asarray(info['cam_K'], np.float64).T
        uvs.append(p[:, :2] / p[:, 2:])
        joints.append(J - J[:1])
    return np.stack(uvs), np.stack(joints)


def hand_extent(uv: np.ndarray) -> np.ndarray:
    """``(N,)``: the longer side of each sample's 2D joint box ``uv (N, J, 2)``."""
    return (uv.max(1) - uv.min(1)).max(1)


def pa_mpjpe_mm(pred: np.ndarray, gt: np.ndarray) -> float:
    """Mean Procrustes-aligned joint error (mm) of ``pred`` against ``gt`` (N, J, 3) m."""
    return float(np.mean([np.linalg.norm(align_procrustes(p, g) - g, axis=-1).mean()
                          for p, g in zip(pred, gt)]) * 1000)


def procrustes_mean(joints: np.ndarray, iters: int = 5) -> np.ndarray:
    """Generalised Procrustes mean ``(J, 3)`` of ``joints (N, J, 3)``: each sample aligned
    onto the current mean, averaged, ``iters`` times (the first sample starts it)."""
    mean = joints[0]
    for _ in range(iters):
        mean = np.mean([align_procrustes(j, mean) for j in joints], 0)
    return mean


def _noisy_layout(uv: torch.Tensor, fraction: float, gen: torch.Generator) -> torch.Tensor:
    extent = (uv.amax(1) - uv.amin(1)).amax(1)[:, None, None]
    sigma = fraction / RAYLEIGH_MEAN * extent
    noisy = uv + sigma * torch.randn(uv.shape, generator=gen, dtype=uv.dtype)
    return kpt_layout({'uv': noisy}, 'uv', 0, 'lifting probe')


def fit_lifting_probe(train: Tuple[np.ndarray, np.ndarray], test: Tuple[np.ndarray, np.ndarray],
                      fraction: float, iters: int = 3000, hidden: int = 512,
                      batch_size: int = 128, seed: int = 0) -> float:
    """Train the probe on ``train = (uv (N, J, 2), joints (N, J, 3))`` with 2D noise of
    mean ``fraction`` of the hand's extent (fresh each step) and return its PA-MPJPE (mm)
    on ``test`` with one draw of the same noise."""
    gen = torch.Generator().manual_seed(seed)
    torch.manual_seed(seed)
    uv_tr, j_tr = (torch.as_tensor(a, dtype=torch.float32) for a in train)
    uv_te = torch.as_tensor(test[0], dtype=torch.float32)
    J = uv_tr.shape[1]
    net = nn.Sequential(nn.Linear(2 * J, hidden), nn.ReLU(), nn.Linear(hidden, hidden),
                        nn.ReLU(), nn.Linear(hidden, 3 * J))
    opt = torch.optim.Adam(net.parameters(), 1e-3)
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, iters)
    for _ in range(iters):
        idx = torch.randint(0, len(uv_tr), (batch_size,), generator=gen)
        pred = net(_noisy_layout(uv_tr[idx], fraction, gen)).view(-1, J, 3)
        loss = (pred - j_tr[idx]).abs().mean()
        opt.zero_grad()
        loss.backward()
        opt.step()
        sched.step()
    with torch.no_grad():
        pred = net(_noisy_layout(uv_te, fraction, gen)).view(-1, J, 3).double().numpy()
    return pa_mpjpe_mm(pred, test[1])


def run_lifting_probe(train_set, test_set, fractions: Sequence[float] = (0.0, 0.05, 0.1),
                      iters: int = 3000, seed: int = 0) -> Dict[str, object]:
    """The probe at each 2D error ``fractions`` and the Procrustes-mean baseline, scored
    on ``test_set`` after fitting on ``train_set`` (datasets as for
    :func:`projected_joints`)."""
    train, test = projected_joints(train_set), projected_joints(test_set)
    mean = procrustes_mean(train[1])
    out: Dict[str, object] = dict(
        baseline_pa_mpjpe=pa_mpjpe_mm(np.repeat(mean[None], len(test[1]), 0), test[1]),
        test_hand_extent_px=float(np.median(hand_extent(test[0]))),
        probe_pa_mpjpe={})
    for f in fractions:
        out['probe_pa_mpjpe'][f'{f:g}'] = fit_lifting_probe(train, test, f, iters, seed=seed)
    return out


def as_rows(result: Dict[str, object]) -> Iterable[str]:
    """Printable lines of :func:`run_lifting_probe`'s result."""
    base = result['baseline_pa_mpjpe']
    yield f'Procrustes mean of the training joints: PA-MPJPE {base:.2f} mm'
    for f, v in result['probe_pa_mpjpe'].items():
        yield (f'2D error {float(f):.3f} of the hand extent: probe PA-MPJPE {v:.2f} mm '
               f'({v / base:.2f}x)')
