"""A log processor whose windows can be the logging interval."""
from mmengine.runner import LogProcessor

from hoverse.registry import LOG_PROCESSORS


@LOG_PROCESSORS.register_module()
class IntervalLogProcessor(LogProcessor):
    """mmengine's ``LogProcessor``; a ``custom_cfg`` entry may also take
    ``window_size='interval'``: the logger hook's interval, so that per-iteration scalars
    (``time``, ``data_time``) are averaged over exactly the iterations since the last log,
    as :class:`~hoverse.engine.hooks.DeferredRuntimeInfoHook` does for the losses."""

    def _parse_windows_size(self, runner, batch_idx: int, custom_cfg=None) -> list:
        cfgs = list(custom_cfg if custom_cfg is not None else self.custom_cfg)
        interval = next((h.interval for h in runner.hooks
                         if type(h).__name__ == 'LoggerHook'), 1)
        cfgs = [dict(c, window_size=interval) if c.get('window_size') == 'interval' else c
                for c in cfgs]
        return super()._parse_windows_size(runner, batch_idx, cfgs)
