from tests.conftest import run_tool


def test_get_flops_lists_every_component(mano_dir):
    proc = run_tool(['tools/analysis_tools/get_flops.py',
                     'configs/hoverse_plus/hoverse_plus_r18_synthetic.py',
                     '--mano', mano_dir])
    rows = {line.split()[0]: line.split()[1:] for line in proc.stdout.splitlines()
            if line.split() and line.split()[0] in (
                'backbone', 'dbfam', 'cfsm', 'mano_head', 'object_head', 'total')}
    assert set(rows) == {'backbone', 'dbfam', 'cfsm', 'mano_head', 'object_head', 'total'}
    assert float(rows['backbone'][1]) > float(rows['dbfam'][1]) > 0
    assert float(rows['total'][0]) > float(rows['backbone'][0])
