"""Published checkpoints: the weights and their metadata only, named by their hash."""
import os
import os.path as osp

import torch

#: the checkpoint entries a published file keeps
PUBLISHED_KEYS = ('state_dict', 'meta')


def publish_checkpoint(in_file: str, out_file: str) -> str:
    """Write ``in_file``'s weights and ``meta`` (the optimiser, schedulers and message hub
    dropped) to ``<out_file stem>-<sha256[:8]>.pth``; returns that path.

    Raises:
        FileNotFoundError: ``in_file`` does not exist.
        ValueError: it holds no ``state_dict``.
    """
    from hoverse.engine import safe_load_checkpoint
    from hoverse.utils.hashing import file_sha256
    if not osp.isfile(in_file):
        raise FileNotFoundError(f'checkpoint {in_file!r} does not exist')
    ckpt = safe_load_checkpoint(in_file, map_location='cpu')
    if not isinstance(ckpt, dict) or 'state_dict' not in ckpt:
        raise ValueError(f'{in_file!r} holds no state_dict: not a checkpoint of tools/train.py')
    out = {k: ckpt[k] for k in PUBLISHED_KEYS if k in ckpt}
    os.makedirs(osp.dirname(osp.abspath(out_file)), exist_ok=True)
    stem = out_file[:-4] if out_file.endswith('.pth') else out_file
    tmp = stem + '.tmp.pth'
    torch.save(out, tmp)
    final = f'{stem}-{file_sha256(tmp)[:8]}.pth'
    os.replace(tmp, final)
    return final
