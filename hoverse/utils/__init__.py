from .config import UnknownConfigKeyError, check_cfg_options, merge_cfg_options

__all__ = ['UnknownConfigKeyError', 'check_cfg_options', 'merge_cfg_options']
