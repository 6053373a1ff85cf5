import pytest

from tests.conftest import run_tool


@pytest.mark.parametrize('tool', ['tools/train.py', 'tools/test.py'])
def test_help_runs(tool):
    proc = run_tool([tool, '--help'])
    assert '--cfg-options' in proc.stdout and '--launcher' in proc.stdout
