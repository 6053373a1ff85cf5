"""A DDP wrapper that also works on CPU (gloo)."""
from typing import Any, List, Optional

import torch
from mmengine.model import MMDistributedDataParallel

from hoverse.registry import MODEL_WRAPPERS


@MODEL_WRAPPERS.register_module()
class HoverseDistributedDataParallel(MMDistributedDataParallel):
    """``MMDistributedDataParallel`` that drops ``device_ids`` for a CPU module.

    mmengine's Runner always passes ``device_ids=[LOCAL_RANK]``; torch's DDP rejects
    ``device_ids`` for a module whose parameters live on the CPU. On GPU this class is
    exactly ``MMDistributedDataParallel``.
    """

    def __init__(self, module: torch.nn.Module, device_ids: Optional[List[int]] = None,
                 **kwargs: Any) -> None:
        first = next(module.parameters(), None)
        if first is None or first.device.type == 'cpu':
            device_ids = None
            kwargs.pop('output_device', None)
        super().__init__(module=module, device_ids=device_ids, **kwargs)
