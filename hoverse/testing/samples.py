"""Data samples built from tensors, to call a head the way the reconstructor does."""
from typing import Dict, List, Optional, Sequence

import torch
from mmengine.structures import InstanceData

from hoverse.structures import HandObjectDataSample


def crop_camera(size: float = 128.0, focal: float = 300.0) -> torch.Tensor:
    """``(3, 3)``: a crop camera with the principal point at the crop's centre."""
    return torch.tensor([[focal, 0, size / 2], [0, focal, size / 2], [0, 0, 1.0]])


def make_samples(batch: int, cam_K: Optional[torch.Tensor] = None,
                 gt: Optional[Dict[str, torch.Tensor]] = None,
                 meta: Optional[Sequence[dict]] = None, size: float = 128.0
                 ) -> List[HandObjectDataSample]:
    """``batch`` samples: ``metainfo['cam_K']`` from ``cam_K`` (``(3, 3)`` or ``(B, 3,
    3)``; default :func:`crop_camera`), row ``b`` of every ``gt`` field (``(B, ...)``) in
    ``gt_instances`` (with its leading 1) and ``meta[b]`` in the metainfo."""
    K = crop_camera(size) if cam_K is None else torch.as_tensor(cam_K, dtype=torch.float32)
    K = K.expand(batch, 3, 3) if K.dim() == 2 else K
    out = []
    for b in range(batch):
        s = HandObjectDataSample(metainfo=dict(cam_K=K[b].numpy(), **(meta[b] if meta else {})))
        s.gt_instances = InstanceData(**{k: torch.as_tensor(v[b])[None]
                                         for k, v in (gt or {}).items()})
        out.append(s)
    return out
