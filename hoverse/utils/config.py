"""Config helpers: strict ``--cfg-options`` merging."""
import difflib
from typing import Any, Dict, List

from mmengine.config import Config


class UnknownConfigKeyError(KeyError):
    """A ``--cfg-options`` key names nothing in the config."""

    def __str__(self) -> str:  # KeyError quotes its message; print it plainly
        return str(self.args[0])


def _children(node: Any) -> List[str]:
    if isinstance(node, dict):
        return [str(k) for k in node.keys()]
    if isinstance(node, (list, tuple)):
        return [str(i) for i in range(len(node))]
    return []


def check_cfg_options(cfg: Config, options: Dict[str, Any]) -> None:
    """Raise :class:`UnknownConfigKeyError` for an option whose dotted key is not in ``cfg``.

    Every part of ``a.b.c`` must exist (list items by index). The error names the key,
    the part that is missing and the closest existing names.
    """
    for key in options:
        node: Any = cfg._cfg_dict if isinstance(cfg, Config) else cfg
        walked: List[str] = []
        for part in key.split('.'):
            names = _children(node)
            if part not in names:
                where = '.'.join(walked) or '<top level>'
                close = difflib.get_close_matches(part, names, n=3)
                hint = f'; did you mean {", ".join(close)}?' if close else ''
                raise UnknownConfigKeyError(
                    f'--cfg-options key {key!r}: {where!r} has no key {part!r}{hint} '
                    '(pass --allow-new-keys to add keys on purpose)')
            node = node[int(part)] if isinstance(node, (list, tuple)) else node[part]
            walked.append(part)


def merge_cfg_options(cfg: Config, options: Dict[str, Any], allow_new_keys: bool = False) -> None:
    """Merge ``--cfg-options`` into ``cfg``; unknown keys fail unless ``allow_new_keys``."""
    if not options:
        return
    if not allow_new_keys:
        check_cfg_options(cfg, options)
    cfg.merge_from_dict(options)
