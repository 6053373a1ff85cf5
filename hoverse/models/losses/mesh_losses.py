"""Mesh regularisers: edge lengths and normal consistency against the GT hand mesh."""
from typing import Optional

import torch
import torch.nn as nn
import torch.nn.functional as F

from hoverse.registry import MODELS

from .regression_losses import masked_mean


def mesh_edges(faces: torch.Tensor) -> torch.Tensor:
    """Unique undirected edges ``(E, 2)`` of ``faces (F, 3)``."""
    e = torch.cat([faces[:, [0, 1]], faces[:, [1, 2]], faces[:, [2, 0]]])
    e = torch.sort(e, dim=1).values
    return torch.unique(e, dim=0)


@MODELS.register_module()
class EdgeLengthLoss(nn.Module):
    """Mean |edge length(pred) - edge length(gt)| over the mesh's edges (metres)."""

    def __init__(self, loss_weight: float = 1.0) -> None:
        super().__init__()
        self.loss_weight = loss_weight
        self._edges: Optional[torch.Tensor] = None
        self._faces: Optional[torch.Tensor] = None

    def edges(self, faces: torch.Tensor) -> torch.Tensor:
        """``mesh_edges(faces)``, computed once per faces tensor (``torch.unique`` is slow
        and, on a GPU, waits for the device)."""
        if self._faces is not faces or self._edges is None or \
                self._edges.device != faces.device:
            self._edges, self._faces = mesh_edges(faces), faces
        return self._edges

    def forward(self, pred: torch.Tensor, target: torch.Tensor, faces: torch.Tensor,
                weight: Optional[torch.Tensor] = None) -> torch.Tensor:
        e = self.edges(faces)
        lp = (pred[:, e[:, 0]] - pred[:, e[:, 1]]).norm(dim=-1)
        lt = (target[:, e[:, 0]] - target[:, e[:, 1]]).norm(dim=-1)
        return self.loss_weight * masked_mean((lp - lt).abs().mean(1), weight)


@MODELS.register_module()
class NormalConsistencyLoss(nn.Module):
    """Mean ``1 - cos`` between predicted and GT face normals."""

    def __init__(self, loss_weight: float = 1.0) -> None:
        super().__init__()
        self.loss_weight = loss_weight

    @staticmethod
    def face_normals(v: torch.Tensor, faces: torch.Tensor) -> torch.Tensor:
        t = v[:, faces]
        return F.normalize(torch.cross(t[:, :, 1] - t[:, :, 0], t[:, :, 2] - t[:, :, 0], dim=-1),
                           dim=-1, eps=1e-12)

    def forward(self, pred: torch.Tensor, target: torch.Tensor, faces: torch.Tensor,
                weight: Optional[torch.Tensor] = None) -> torch.Tensor:
        cos = (self.face_normals(pred, faces) * self.face_normals(target, faces)).sum(-1)
        return self.loss_weight * masked_mean((1 - cos).mean(1), weight)
