"""Every loss term a model config switches on: declared ones and the components' defaults."""
import inspect
from typing import Any, List, NamedTuple, Optional


class LossTerm(NamedTuple):
    """One ``loss_<name>`` argument of a model component."""
    path: str  #: e.g. ``model.mano_head.loss_joints``
    cfg: Optional[dict]  #: ``dict(type=..., loss_weight=...)``; None: switched off
    source: str  #: ``'config'`` (written in the config) or ``'default'`` (the class's)

    @property
    def weight(self) -> Optional[float]:
        return None if self.cfg is None else self.cfg.get('loss_weight', 1.0)


def _loss_defaults(cls: type) -> dict:
    """``{loss_<name>: default}`` over ``cls.__init__`` and its bases' (subclasses often
    pass the parent's arguments through ``**kwargs``)."""
    out = {}
    for klass in reversed(cls.__mro__):
        init = klass.__dict__.get('__init__')
        if init is None:
            continue
        for name, p in inspect.signature(init).parameters.items():
            if name.startswith('loss_') and p.default is not inspect.Parameter.empty:
                out[name] = p.default
    return out


def _is_loss_cfg(value: Any) -> bool:
    return value is None or (isinstance(value, dict) and 'type' in value)


def loss_terms(model_cfg: dict, prefix: str = 'model') -> List[LossTerm]:
    """The loss terms of ``model_cfg`` (a ``MODELS`` config, nested components
    included), in config order; components' ``loss_*`` arguments that the config leaves
    out appear with their defaults. Types resolve in ``hoverse.registry.MODELS`` (import
    plugins first)."""
    from hoverse.registry import MODELS
    rows: List[LossTerm] = []

    def visit(node: dict, path: str) -> None:
        for key, value in node.items():
            if key.startswith('loss_') and _is_loss_cfg(value):
                rows.append(LossTerm(f'{path}.{key}', None if value is None else dict(value),
                                     'config'))
            elif isinstance(value, dict):
                visit(value, f'{path}.{key}')
        kind = node.get('type')
        cls = MODELS.get(kind) if isinstance(kind, str) else kind
        if isinstance(cls, type):
            for name, default in _loss_defaults(cls).items():
                if name not in node and _is_loss_cfg(default):
                    rows.append(LossTerm(f'{path}.{name}', default, 'default'))

    visit(dict(model_cfg), prefix)
    return rows


def format_loss_terms(rows: List[LossTerm]) -> str:
    """A plain-text table: path, type, weight, other arguments, where it is set."""
    lines = [f"{'term':48s} {'type':26s} {'weight':>7s}  other arguments / source"]
    for r in rows:
        if r.cfg is None:
            lines.append(f'{r.path:48s} {"(off)":26s} {"-":>7s}  {r.source}')
            continue
        extra = {k: v for k, v in r.cfg.items() if k not in ('type', 'loss_weight')}
        other = ', '.join(f'{k}={v}' for k, v in extra.items())
        lines.append(f"{r.path:48s} {str(r.cfg['type']):26s} {r.weight:7g}  "
                     f"{other + '; ' if other else ''}{r.source}")
    return '\n'.join(lines)
