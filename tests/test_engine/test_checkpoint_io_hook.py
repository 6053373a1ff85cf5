import subprocess
import sys
import textwrap

from tests.conftest import REPO


def test_import_changes_nothing_and_the_hook_switches_checkpoint_io():
    # a fresh process: `import hoverse` leaves mmengine's loader and backend alone; the
    # runtime config's CheckpointIOHook (built with the Runner's hooks) switches both
    child = textwrap.dedent(f'''
        import sys
        sys.path.insert(0, {REPO!r})
        from mmengine.fileio import get_file_backend
        from mmengine.fileio.backends import LocalBackend
        from mmengine.runner.checkpoint import CheckpointLoader
        import hoverse, hoverse.engine
        from hoverse.engine import AtomicLocalBackend, safe_load_checkpoint
        from hoverse.registry import HOOKS
        loader = lambda: CheckpointLoader._get_checkpoint_loader('x.pth')
        assert type(get_file_backend('a/x.pth')) is LocalBackend
        assert loader() is not safe_load_checkpoint
        HOOKS.build(dict(type='CheckpointIOHook'))
        assert isinstance(get_file_backend('b/x.pth'), AtomicLocalBackend)
        assert loader() is safe_load_checkpoint
        print('ok')
    ''')
    out = subprocess.run([sys.executable, '-c', child], capture_output=True, text=True)
    assert out.returncode == 0 and out.stdout.strip() == 'ok', out.stderr[-2000:]
