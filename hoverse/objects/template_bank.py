"""Object templates on a model's device, by name: surface samples, box corners, SDF grids
and symmetries, shared by every head of a model (nothing here is a parameter)."""
from typing import Dict, Optional, Sequence

import numpy as np
import torch

from hoverse.geometry.mirror import mirror_points, mirror_points_where
from hoverse.geometry.symmetric_pose import stack_symmetries, symmetry_tensors

from .object_library import ObjectLibrary


class TemplateBank:
    """Lazily loads templates from the process's shared :class:`ObjectLibrary` of ``root``
    (:meth:`ObjectLibrary.shared`, the one the metrics of a run read too).

    Args:
        root: models folder (YCB layout); None disables templates (no physics losses, no
            symmetries: every object is taken as asymmetric).
        num_samples: surface samples per object used by losses and predictions.
        num_dense_samples: a second, denser set of surface samples per object
            (``dense_samples``; 0: none), for targets that must cover every pixel the
            object shows, such as coordinate maps.
    """

    def __init__(self, root: Optional[str], num_samples: int = 512,
                 num_dense_samples: int = 0) -> None:
        self.library = ObjectLibrary.shared(root) if root else None
        self.num_samples = int(num_samples)
        self.num_dense_samples = int(num_dense_samples)
        self._cache: Dict[str, Dict] = {}

    @property
    def enabled(self) -> bool:
        return self.library is not None

    def get(self, name: str, device: torch.device) -> Dict:
        if name not in self._cache:
            t = self.library[name]
            self._cache[name] = dict(
                samples=torch.as_tensor(t.surface_samples(self.num_samples),
                                        dtype=torch.float32),
                corners=torch.as_tensor(t.corners, dtype=torch.float32),
                sdf=self.library.sdf(name), sym=symmetry_tensors(t.symmetry, t.center))
            if self.num_dense_samples:
                self._cache[name]['dense_samples'] = torch.as_tensor(
                    t.surface_samples(self.num_dense_samples), dtype=torch.float32)
        item = self._cache[name]
        if item['samples'].device != device:
            for key in ('samples', 'corners', 'dense_samples'):
                if key in item:
                    item[key] = item[key].to(device)
            item['sdf'] = item['sdf'].to(device)
            item['sym'] = {k: v.to(device) for k, v in item['sym'].items()}
        return item

    def batch(self, names: Sequence[str], device: torch.device,
              mirrored: Optional[Sequence[bool]] = None) -> Dict:
        """For a batch of objects: ``samples (B, S, 3)``, ``corners (B, 8, 3)``, with
        ``num_dense_samples`` also ``dense_samples (B, D, 3)`` (all mirrored where
        ``mirrored[b]``), ``grids`` (list of SDF grids; lookups mirror on their own),
        ``mirrored`` (list of bool) and ``symmetry`` (:class:`SymmetryBatch`)."""
        items = [self.get(n, device) for n in names]
        mirrored = [bool(m) for m in (mirrored or [False] * len(names))]
        out = dict(samples=mirror_points_where(torch.stack([i['samples'] for i in items]),
                                               mirrored),
                   corners=mirror_points_where(torch.stack([i['corners'] for i in items]),
                                               mirrored),
                   grids=[i['sdf'] for i in items], mirrored=mirrored,
                   symmetry=stack_symmetries([i['sym'] for i in items], mirrored, device))
        if self.num_dense_samples:
            out['dense_samples'] = mirror_points_where(
                torch.stack([i['dense_samples'] for i in items]), mirrored)
        return out

    def spin_axis(self, name: Optional[str], mirrored: bool = False) -> Optional[np.ndarray]:
        """``(3,)`` the model axis about which an object's spin is read: its continuous
        symmetry axis (mirrored with the sample) where it has one, else the longest side
        of its box; None for an unknown object."""
        if not self.enabled or name is None or name not in self.library:
            return None
        t = self.library[name]
        axes = t.symmetry.axes
        axis = axes[0] if len(axes) else t.longest_axis
        return mirror_points(axis) if mirrored else axis
