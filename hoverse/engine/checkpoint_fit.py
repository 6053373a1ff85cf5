"""Does a checkpoint's state dict fit a model? A short, named summary instead of a
state-dict traceback (or, worse, a silently half-random model)."""
from typing import Dict, List, Optional

import torch


class CheckpointMismatchError(ValueError):
    """A checkpoint whose weights do not fit the model built from the config."""


def strip_ddp_prefix(state: Dict[str, torch.Tensor]) -> Dict[str, torch.Tensor]:
    """``state`` with the ``module.`` prefix of a DDP-wrapped model's keys removed."""
    return {(k[len('module.'):] if k.startswith('module.') else k): v for k, v in state.items()}


def checkpoint_mismatch(model: torch.nn.Module, state: Dict[str, torch.Tensor],
                        ignore_prefixes=('data_preprocessor.', )) -> Dict[str, List[str]]:
    """``{'missing': [...], 'unexpected': [...], 'wrong_shape': ['key: ckpt (..) vs model
    (..)', ...]}`` between ``state`` (a checkpoint's ``state_dict``, possibly with a DDP
    ``module.`` prefix) and ``model.state_dict()``; keys under ``ignore_prefixes`` (non-
    persistent buffers) are not compared."""
    skip = tuple(ignore_prefixes)
    own = {k: v for k, v in model.state_dict().items() if not k.startswith(skip)}
    ckpt = {k: v for k, v in strip_ddp_prefix(state).items() if not k.startswith(skip)}
    wrong = [f'{k}: checkpoint {tuple(ckpt[k].shape)} vs model {tuple(v.shape)}'
             for k, v in own.items() if k in ckpt and hasattr(ckpt[k], 'shape')
             and tuple(ckpt[k].shape) != tuple(v.shape)]
    return dict(missing=sorted(set(own) - set(ckpt)), unexpected=sorted(set(ckpt) - set(own)),
                wrong_shape=wrong)


def check_checkpoint_fits(model: torch.nn.Module, state: Dict[str, torch.Tensor],
                          checkpoint: str, config: Optional[str] = None,
                          show: int = 3) -> None:
    """Raise :class:`CheckpointMismatchError` naming ``checkpoint`` (and ``config``) with
    how many keys are missing, unexpected and wrong-shaped, and the first ``show`` of each,
    when ``state`` does not fit ``model``."""
    diff = checkpoint_mismatch(model, state)
    if not any(diff.values()):
        return
    parts = [f'{len(v)} {k.replace("_", "-")}' + (f' (e.g. {", ".join(v[:show])})' if v else '')
             for k, v in diff.items() if v]
    where = f' built from {config!r}' if config else ''
    raise CheckpointMismatchError(
        f'checkpoint {checkpoint!r} does not fit the model{where}: ' + '; '.join(parts) +
        '. Pass the config the checkpoint was trained with (its work dir holds a copy), or '
        'allow a partial load on purpose (tools/test.py --no-strict-load).')
