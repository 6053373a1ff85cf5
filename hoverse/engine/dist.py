"""Distributed start-up that works on CPU-only machines.

mmengine's ``launcher='pytorch'|'slurm'`` calls ``torch.cuda.set_device`` and defaults to
NCCL; both fail without a GPU. When no GPU is present we initialise the process group with
``gloo`` before the Runner starts (the Runner then skips its own init). With a GPU the
normal mmengine path (NCCL) is left untouched.
"""
import os
import subprocess
from datetime import timedelta

import torch
import torch.distributed as dist


def _slurm_env() -> None:
    """Derive torch's rendezvous variables from SLURM's."""
    os.environ.setdefault('RANK', os.environ['SLURM_PROCID'])
    os.environ.setdefault('WORLD_SIZE', os.environ['SLURM_NTASKS'])
    os.environ.setdefault('LOCAL_RANK', os.environ.get('SLURM_LOCALID', '0'))
    if 'MASTER_ADDR' not in os.environ:
        nodes = os.environ['SLURM_NODELIST']
        out = subprocess.getoutput(f'scontrol show hostname {nodes} | head -n1')
        os.environ['MASTER_ADDR'] = out.strip() or '127.0.0.1'
    os.environ.setdefault('MASTER_PORT', '29500')


def init_cpu_distributed(launcher: str, timeout_s: int = 1800) -> bool:
    """Initialise a gloo process group when ``launcher`` asks for one and no GPU exists.

    Returns:
        True when this call created the process group, False otherwise (no launcher,
        a GPU is present, or the group already exists).
    """
    if launcher == 'none' or torch.cuda.is_available() or dist.is_initialized():
        return False
    if launcher == 'slurm':
        _slurm_env()
    elif launcher != 'pytorch':
        raise ValueError(f"launcher must be 'none', 'pytorch' or 'slurm' on CPU, got {launcher!r}")
    for key in ('RANK', 'WORLD_SIZE', 'MASTER_ADDR', 'MASTER_PORT'):
        if key not in os.environ:
            raise RuntimeError(f'launcher={launcher!r} needs the environment variable {key}; '
                               'start the job with torchrun (tools/dist_train.sh) or srun.')
    dist.init_process_group(
        backend='gloo',
        rank=int(os.environ['RANK']),
        world_size=int(os.environ['WORLD_SIZE']),
        timeout=timedelta(seconds=timeout_s))
    return True
