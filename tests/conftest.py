import os
import os.path as osp
import subprocess
import sys
from typing import List, Optional

import pytest

REPO = osp.dirname(osp.dirname(osp.abspath(__file__)))
PLUGINS = osp.join(REPO, 'tests', 'data', 'plugins')
CONFIGS = osp.join(REPO, 'tests', 'data', 'configs')

os.environ.setdefault('PYOPENGL_PLATFORM', 'egl')


def run_tool(args: List[str], env: Optional[dict] = None, timeout: int = 300,
             check: bool = True) -> subprocess.CompletedProcess:
    """Run ``python <args>`` from the repo root with the test plugins importable."""
    full_env = dict(os.environ)
    full_env['PYTHONPATH'] = os.pathsep.join([PLUGINS, REPO, full_env.get('PYTHONPATH', '')])
    full_env.setdefault('OMP_NUM_THREADS', '1')
    full_env.update(env or {})
    proc = subprocess.run([sys.executable] + args, cwd=REPO, env=full_env, timeout=timeout,
                          capture_output=True, text=True)
    if check and proc.returncode != 0:
        raise AssertionError(f'{args} failed ({proc.returncode}):\n{proc.stdout[-3000:]}\n'
                             f'{proc.stderr[-5000:]}')
    return proc


@pytest.fixture(scope='session')
def repo_root() -> str:
    return REPO


@pytest.fixture(scope='session')
def mano_dir(tmp_path_factory) -> str:
    """A folder holding the surrogate ``MANO_RIGHT.pkl``."""
    from hoverse.hand_models.surrogate import write_surrogate_mano
    out = str(tmp_path_factory.mktemp('mano'))
    write_surrogate_mano(out)
    return out


@pytest.fixture(scope='session')
def objects_dir(tmp_path_factory) -> str:
    """A YCB-layout models folder with the procedural objects."""
    from hoverse.objects.procedural import write_procedural_objects
    out = str(tmp_path_factory.mktemp('objects'))
    write_procedural_objects(out)
    return out


@pytest.fixture(scope='session')
def mano_layer(mano_dir):
    from hoverse.hand_models import MANOLayer
    return MANOLayer(mano_dir)
