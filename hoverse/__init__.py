"""hoverse: hand-object reconstruction from one RGB image."""
import mmengine

from .version import __version__

# Importing the engine registers the safe (weights_only) checkpoint loader.
from . import engine  # noqa: F401,E402

__all__ = ['__version__']

if mmengine.__version__ != '0.10.7':
    import warnings
    warnings.warn(f'hoverse is tested with mmengine 0.10.7; found {mmengine.__version__}')
