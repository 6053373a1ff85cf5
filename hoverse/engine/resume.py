"""Which checkpoint ``--resume`` continues from, when ``last_checkpoint`` cannot be trusted."""
import glob
import os.path as osp
import re
from typing import List, Optional, Tuple

_STEP = re.compile(r'(?:iter|epoch)_(\d+)\.pth$')


def _loadable(path: str) -> bool:
    from .checkpoint import safe_load_checkpoint
    try:
        ckpt = safe_load_checkpoint(path, map_location='cpu')
    except Exception:  # noqa: BLE001  (truncated, corrupt, refused: not resumable)
        return False
    return isinstance(ckpt, dict) and 'state_dict' in ckpt and 'meta' in ckpt


def numbered_checkpoints(work_dir: str) -> List[str]:
    """``iter_N.pth`` / ``epoch_N.pth`` in ``work_dir``, newest (largest N) first."""
    found = [p for p in glob.glob(osp.join(work_dir, '*_*.pth')) if _STEP.search(p)]
    return sorted(found, key=lambda p: int(_STEP.search(p).group(1)), reverse=True)


def find_resume_checkpoint(work_dir: str) -> Tuple[Optional[str], str]:
    """``(path, note)``: the checkpoint ``last_checkpoint`` names when it is complete, else
    the newest complete numbered checkpoint in ``work_dir`` (``note`` says why), else
    ``(None, note)``. Complete: it loads safely and holds ``state_dict`` and ``meta``."""
    pointer = osp.join(work_dir, 'last_checkpoint')
    named = None
    if osp.isfile(pointer):
        with open(pointer) as f:
            named = f.read().strip() or None
    if named and osp.isfile(named) and _loadable(named):
        return named, f'resuming from {named} (last_checkpoint)'
    if not osp.isfile(pointer):
        why = 'there is no last_checkpoint'
    elif named is None:
        why = 'last_checkpoint is empty'
    elif not osp.isfile(named):
        why = f'last_checkpoint names {named}, which does not exist'
    else:
        why = f'last_checkpoint names {named}, which is incomplete or corrupt'
    for path in numbered_checkpoints(work_dir):
        if path != named and _loadable(path):
            return path, f'{why}; resuming from the newest complete checkpoint, {path}'
    return None, f'{why} and no complete checkpoint is in {work_dir}; starting from the beginning'
