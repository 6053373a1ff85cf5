"""tools/analysis_tools/physical_fit_check.py on the tiny synthetic set: without and with
the fit, the ground truth's own interaction metrics beside them, the --fitter arguments on
top of the config's fitter."""
import importlib.util
import json

import pytest

from tests.conftest import REPO, run_tool, synthetic_cfg_options

CFG = f'{REPO}/configs/hoverse_plus/hoverse_plus_r18_synthetic_physical_fit.py'
#: pybullet is an optional extra: without it the check runs without simulating
SIMULATE = importlib.util.find_spec('pybullet') is not None


@pytest.fixture(scope='module')
def report(r18_checkpoint, synthetic_root, mano_dir, tmp_path_factory):
    out = tmp_path_factory.mktemp('fitcheck') / 'fit.json'
    res = run_tool(['tools/analysis_tools/physical_fit_check.py', CFG, r18_checkpoint['path'],
                    '--split', 'val', '--batch-sizes', '1', '--fitter', 'steps=3',
                    *(['--simulate', 'sim_displacement'] if SIMULATE else []),
                    '--work-dir', str(out.parent / 'work'), '--out', str(out),
                    '--cfg-options', *synthetic_cfg_options(synthetic_root, mano_dir)])
    return json.loads(out.read_text()), res.stdout


def test_the_fitter_arguments_override_the_configs_fitter(report):
    data, _ = report
    assert data['fitter']['type'] == 'HandObjectFitter' and data['fitter']['steps'] == 3
    assert set(data['ms_per_sample']) == {'1'}


def test_the_ground_truth_is_scored_by_the_same_metric(report):
    data, stdout = report
    truth = data['ground_truth']
    assert truth['contact/num_samples'] == 3  # the tiny set's 3 validation samples
    # the generator's grasps touch their objects without entering them
    assert truth['contact/penetration_depth'] < 1.0
    assert truth['contact/contact_ratio'] == 100.0
    assert set(truth) - {'contact/num_samples'} <= set(data['without'])
    assert 'ground truth' in stdout
    if SIMULATE:  # only the protocol named
        assert 'contact/sim_displacement' in truth
        assert 'contact/sim_displacement' in data['with_fit']
        assert 'contact/sim_displacement_1s' not in data['without']


def test_a_sample_without_a_hand_mesh_has_no_ground_truth():
    from hoverse.analysis.ground_truth_interaction import ground_truth_as_prediction
    from hoverse.structures import HandObjectDataSample
    from mmengine.structures import InstanceData
    sample = HandObjectDataSample(metainfo=dict(obj_name='box'))
    sample.gt_instances = InstanceData()
    assert ground_truth_as_prediction(sample) is None
