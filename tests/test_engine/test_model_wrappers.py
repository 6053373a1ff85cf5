import gc
import socket
from datetime import timedelta

import torch
import torch.distributed as dist

from hoverse.engine import HoverseDistributedDataParallel


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


def test_cpu_ddp_wrapper_drops_device_ids():
    own = not dist.is_initialized()
    if own:
        dist.init_process_group('gloo', init_method=f'tcp://127.0.0.1:{_free_port()}',
                                rank=0, world_size=1, timeout=timedelta(seconds=60))
    wrapped = None
    try:
        module = torch.nn.Linear(3, 2)
        wrapped = HoverseDistributedDataParallel(module, device_ids=[0],
                                                 broadcast_buffers=False)
        assert wrapped.device_ids is None
        out = wrapped(torch.ones(4, 3))
        out.sum().backward()
        assert module.weight.grad is not None and module.weight.grad.abs().sum() > 0
    finally:
        # the wrapper's reducer holds the process group: release it first, so the group is
        # torn down once, by destroy_process_group (a gloo group freed later, from the
        # reducer's destructor, was once seen to hang joining its threads)
        del wrapped
        gc.collect()
        if own:
            dist.destroy_process_group()
