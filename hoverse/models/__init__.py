from .backbones import *  # noqa: F401,F403
from .codecs import *  # noqa: F401,F403
from .data_preprocessors import *  # noqa: F401,F403
from .fitters import *  # noqa: F401,F403
from .heads import *  # noqa: F401,F403
from .losses import *  # noqa: F401,F403
from .necks import *  # noqa: F401,F403
from .reconstructors import *  # noqa: F401,F403
from .task_modules import *  # noqa: F401,F403
from hoverse.hand_models import MANOLayer  # noqa: F401,E402  (registered in MODELS)
