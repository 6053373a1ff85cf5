"""Object templates on the model's device, by name (samples, corners, SDF grid)."""
from typing import Dict, Optional, Sequence

import torch

from hoverse.objects import ObjectLibrary


class TemplateBank:
    """Lazily loads templates from an :class:`ObjectLibrary`; nothing here is a parameter.

    Args:
        root: models folder (YCB layout); None disables templates (no physics losses).
        num_samples: surface samples per object used by losses and predictions.
    """

    def __init__(self, root: Optional[str], num_samples: int = 512) -> None:
        self.library = ObjectLibrary(root, num_samples=num_samples) if root else None
        self._cache: Dict[str, Dict] = {}

    @property
    def enabled(self) -> bool:
        return self.library is not None

    def get(self, name: str, device: torch.device) -> Dict:
        if name not in self._cache:
            t = self.library[name]
            self._cache[name] = dict(
                samples=torch.as_tensor(t.samples, dtype=torch.float32),
                corners=torch.as_tensor(t.corners, dtype=torch.float32),
                sdf=self.library.sdf(name))
        item = self._cache[name]
        if item['samples'].device != device:
            item['samples'] = item['samples'].to(device)
            item['corners'] = item['corners'].to(device)
            item['sdf'] = item['sdf'].to(device)
        return item

    def batch(self, names: Sequence[str], device: torch.device):
        """``samples (B, S, 3)``, ``corners (B, 8, 3)`` and the list of SDF grids."""
        items = [self.get(n, device) for n in names]
        return (torch.stack([i['samples'] for i in items]),
                torch.stack([i['corners'] for i in items]), [i['sdf'] for i in items])
