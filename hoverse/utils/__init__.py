from .arrays import to_numpy
from .config import (UnknownConfigKeyError, check_cfg_options, load_tool_config,
                     merge_cfg_options)

__all__ = ['UnknownConfigKeyError', 'check_cfg_options', 'load_tool_config', 'merge_cfg_options',
           'to_numpy']
