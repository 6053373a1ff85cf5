"""hoverse registries.

One registry per kind, each a child of mmengine's so that the Runner, hooks and loops
find hoverse components under ``default_scope='hoverse'``. ``locations`` lists the modules
imported the first time a registry is searched, so no manual import is needed; a user's
own module joins through ``custom_imports`` in a config.
"""
from mmengine.registry import DATA_SAMPLERS as MMENGINE_DATA_SAMPLERS
from mmengine.registry import DATASETS as MMENGINE_DATASETS
from mmengine.registry import EVALUATOR as MMENGINE_EVALUATOR
from mmengine.registry import FUNCTIONS as MMENGINE_FUNCTIONS
from mmengine.registry import HOOKS as MMENGINE_HOOKS
from mmengine.registry import INFERENCERS as MMENGINE_INFERENCERS
from mmengine.registry import LOG_PROCESSORS as MMENGINE_LOG_PROCESSORS
from mmengine.registry import LOOPS as MMENGINE_LOOPS
from mmengine.registry import METRICS as MMENGINE_METRICS
from mmengine.registry import MODEL_WRAPPERS as MMENGINE_MODEL_WRAPPERS
from mmengine.registry import MODELS as MMENGINE_MODELS
from mmengine.registry import \
    OPTIM_WRAPPER_CONSTRUCTORS as MMENGINE_OPTIM_WRAPPER_CONSTRUCTORS
from mmengine.registry import OPTIM_WRAPPERS as MMENGINE_OPTIM_WRAPPERS
from mmengine.registry import OPTIMIZERS as MMENGINE_OPTIMIZERS
from mmengine.registry import PARAM_SCHEDULERS as MMENGINE_PARAM_SCHEDULERS
from mmengine.registry import \
    RUNNER_CONSTRUCTORS as MMENGINE_RUNNER_CONSTRUCTORS
from mmengine.registry import RUNNERS as MMENGINE_RUNNERS
from mmengine.registry import TASK_UTILS as MMENGINE_TASK_UTILS
from mmengine.registry import TRANSFORMS as MMENGINE_TRANSFORMS
from mmengine.registry import VISBACKENDS as MMENGINE_VISBACKENDS
from mmengine.registry import VISUALIZERS as MMENGINE_VISUALIZERS
from mmengine.registry import \
    WEIGHT_INITIALIZERS as MMENGINE_WEIGHT_INITIALIZERS
from mmengine.registry import Registry

__all__ = [
    'RUNNERS', 'RUNNER_CONSTRUCTORS', 'LOOPS', 'HOOKS', 'LOG_PROCESSORS', 'OPTIMIZERS',
    'OPTIM_WRAPPERS', 'OPTIM_WRAPPER_CONSTRUCTORS', 'PARAM_SCHEDULERS', 'DATASETS',
    'DATA_SAMPLERS', 'TRANSFORMS', 'MODELS', 'MODEL_WRAPPERS', 'WEIGHT_INITIALIZERS',
    'METRICS', 'EVALUATORS', 'TASK_UTILS', 'VISUALIZERS', 'VISBACKENDS', 'INFERENCERS',
    'FUNCTIONS', 'KEYPOINT_CODECS', 'HAND_DETECTORS'
]

# Engine
RUNNERS = Registry('runner', parent=MMENGINE_RUNNERS, locations=['hoverse.engine'])
RUNNER_CONSTRUCTORS = Registry(
    'runner constructor', parent=MMENGINE_RUNNER_CONSTRUCTORS, locations=['hoverse.engine'])
LOOPS = Registry('loop', parent=MMENGINE_LOOPS, locations=['hoverse.engine'])
HOOKS = Registry('hook', parent=MMENGINE_HOOKS, locations=['hoverse.engine.hooks'])
LOG_PROCESSORS = Registry(
    'log processor', parent=MMENGINE_LOG_PROCESSORS, locations=['hoverse.engine'])
OPTIMIZERS = Registry('optimizer', parent=MMENGINE_OPTIMIZERS, locations=['hoverse.engine'])
OPTIM_WRAPPERS = Registry(
    'optim wrapper', parent=MMENGINE_OPTIM_WRAPPERS, locations=['hoverse.engine'])
OPTIM_WRAPPER_CONSTRUCTORS = Registry(
    'optimizer wrapper constructor',
    parent=MMENGINE_OPTIM_WRAPPER_CONSTRUCTORS,
    locations=['hoverse.engine'])
PARAM_SCHEDULERS = Registry(
    'parameter scheduler', parent=MMENGINE_PARAM_SCHEDULERS, locations=['hoverse.engine'])

# Data
DATASETS = Registry('dataset', parent=MMENGINE_DATASETS, locations=['hoverse.datasets'])
DATA_SAMPLERS = Registry(
    'data sampler', parent=MMENGINE_DATA_SAMPLERS, locations=['hoverse.datasets'])
TRANSFORMS = Registry(
    'transform', parent=MMENGINE_TRANSFORMS, locations=['hoverse.datasets.transforms'])

# Models
#: target encoding and output decoding (mmpose's ``KEYPOINT_CODECS``), built once per model
KEYPOINT_CODECS = Registry('keypoint codec', scope='hoverse', locations=['hoverse.models'])
MODELS = Registry(
    'model', parent=MMENGINE_MODELS, locations=['hoverse.models', 'hoverse.hand_models'])
MODEL_WRAPPERS = Registry(
    'model wrapper', parent=MMENGINE_MODEL_WRAPPERS, locations=['hoverse.engine'])
WEIGHT_INITIALIZERS = Registry(
    'weight initializer', parent=MMENGINE_WEIGHT_INITIALIZERS, locations=['hoverse.models'])

# Evaluation
METRICS = Registry('metric', parent=MMENGINE_METRICS, locations=['hoverse.evaluation.metrics'])
EVALUATORS = Registry('evaluator', parent=MMENGINE_EVALUATOR, locations=['hoverse.evaluation'])

# Visualisation
VISUALIZERS = Registry(
    'visualizer', parent=MMENGINE_VISUALIZERS, locations=['hoverse.visualization'])
VISBACKENDS = Registry(
    'vis backend', parent=MMENGINE_VISBACKENDS, locations=['hoverse.visualization'])

# Misc
TASK_UTILS = Registry('task util', parent=MMENGINE_TASK_UTILS, locations=['hoverse.models'])
INFERENCERS = Registry('inferencer', parent=MMENGINE_INFERENCERS, locations=['hoverse.apis'])
FUNCTIONS = Registry('function', parent=MMENGINE_FUNCTIONS,
                     locations=['hoverse.utils', 'hoverse.datasets'])
#: hand detectors of the in-the-wild demos (``hoverse.detectors``)
HAND_DETECTORS = Registry('hand detector', scope='hoverse', locations=['hoverse.detectors'])
