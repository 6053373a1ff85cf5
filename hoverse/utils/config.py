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


def load_tool_config(config: str, cfg_options: Dict[str, Any] = None,
                     allow_new_keys: bool = False, launcher: str = 'none',
                     work_dir: str = None) -> Config:
    """What ``tools/train.py`` and ``tools/test.py`` share: read ``config``, merge
    ``--cfg-options`` strictly, set the launcher and the work dir (default
    ``./work_dirs/<config name>``). Problems exit with a one-line message, no traceback."""
    import os.path as osp
    if not osp.isfile(config):
        raise SystemExit(f'config file {config!r} does not exist')
    try:
        cfg = read_config(config)
    except ConfigSyntaxError as err:
        raise SystemExit(str(err))
    cfg.launcher = launcher
    try:
        merge_cfg_options(cfg, cfg_options, allow_new_keys=allow_new_keys)
    except UnknownConfigKeyError as err:
        raise SystemExit(str(err))
    fit_schedule_to_run(cfg)
    resolve_dataloader_workers(cfg)
    if work_dir is not None:
        cfg.work_dir = work_dir
    elif cfg.get('work_dir', None) is None:
        cfg.work_dir = osp.join('./work_dirs', osp.splitext(osp.basename(config))[0])
    return cfg


def auto_num_workers(cpu_count: int = None, procs_per_node: int = None) -> int:
    """Data-loader workers per training process: the machine's cores shared by the
    processes of this node, one left for the process itself, at most 8."""
    import os
    cpus = cpu_count or os.cpu_count() or 1
    procs = procs_per_node or int(os.environ.get('LOCAL_WORLD_SIZE', '1'))
    return max(0, min(8, cpus // max(procs, 1) - 1))


def resolve_dataloader_workers(cfg: Config) -> None:
    """Replace ``num_workers='auto'`` (:func:`auto_num_workers`) and ``pin_memory='auto'``
    (True when a CUDA device is there) in the train/val/test dataloaders; a loader with no
    workers cannot keep them, so ``persistent_workers`` follows."""
    for key in ('train_dataloader', 'val_dataloader', 'test_dataloader'):
        loader = cfg.get(key)
        if not loader:
            continue
        if loader.get('num_workers') == 'auto':
            loader['num_workers'] = auto_num_workers()
            if loader['num_workers'] == 0:
                loader['persistent_workers'] = False
        if loader.get('pin_memory') == 'auto':
            import torch
            loader['pin_memory'] = torch.cuda.is_available()


def fit_schedule_to_run(cfg: Config) -> List[str]:
    """Clip iteration-based ``param_scheduler`` entries to ``train_cfg.max_iters`` (a run
    shortened with ``--cfg-options train_cfg.max_iters=N``): an entry that would start at or
    after the end is dropped, one that would end after it ends there. Warns once per change
    and returns the warnings (empty when the schedule fits)."""
    import warnings
    train_cfg = cfg.get('train_cfg') or {}
    max_iters = train_cfg.get('max_iters')
    schedulers = cfg.get('param_scheduler')
    if not max_iters or not schedulers or train_cfg.get('by_epoch', True):
        return []
    single = isinstance(schedulers, dict)
    kept, notes = [], []
    for i, sch in enumerate([schedulers] if single else schedulers):
        if sch.get('by_epoch', True):
            kept.append(sch)
            continue
        begin, end = sch.get('begin', 0), sch.get('end')
        if begin >= max_iters:
            notes.append(f'param_scheduler[{i}] ({sch.get("type")}) begins at iteration '
                         f'{begin}, after the run ends ({max_iters}): dropped')
            continue
        if end is not None and end > max_iters:
            notes.append(f'param_scheduler[{i}] ({sch.get("type")}) ended at {end}: now at '
                         f'{max_iters}, the end of the run')
            sch = dict(sch, end=max_iters)
        kept.append(sch)
    for note in notes:
        warnings.warn(f'schedule fitted to train_cfg.max_iters={max_iters}: {note}')
    if notes:
        cfg.param_scheduler = kept[0] if single and kept else kept
    return notes


def _syntax_error_in(path: str, seen=None):
    """``(file, SyntaxError)`` for the first file of ``path``'s ``_base_`` chain that does
    not compile (the file itself first), else None."""
    import ast
    import os.path as osp
    seen = seen or set()
    if path in seen or not osp.isfile(path):
        return None
    seen.add(path)
    with open(path) as f:
        text = f.read()
    try:
        tree = ast.parse(text, filename=path)
    except SyntaxError as err:
        return path, err
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(
                getattr(t, 'id', None) == '_base_' for t in node.targets):
            try:
                bases = ast.literal_eval(node.value)
            except ValueError:
                continue
            for base in [bases] if isinstance(bases, str) else bases:
                found = _syntax_error_in(osp.normpath(osp.join(osp.dirname(path), base)), seen)
                if found:
                    return found
    return None


class ConfigSyntaxError(ValueError):
    """A config file (or one of its ``_base_`` files) that is not valid Python."""


def read_config(path: str) -> Config:
    """``Config.fromfile(path)``; a syntax error in it or in one of its ``_base_`` files
    raises :class:`ConfigSyntaxError` naming that file and line (mmengine reports
    ``File "<unknown>"``)."""
    try:
        return Config.fromfile(path)
    except SyntaxError as err:
        found = _syntax_error_in(path)
        where, e = found if found else (path, err)
        raise ConfigSyntaxError(f'config {where!r}, line {e.lineno}: syntax error: {e.msg}'
                                + (f' (read through {path!r})' if where != path else '')
                                ) from None
