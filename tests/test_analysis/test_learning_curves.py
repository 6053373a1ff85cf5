import json

import pytest

from hoverse.analysis.learning_curves import plot_learning_curves, read_scalars


def _work_dir(tmp_path):
    run = tmp_path / 'work' / '20260101_000000' / 'vis_data'
    run.mkdir(parents=True)
    lines = [dict(iter=i, loss=2.0 / i, loss_obj_rot=1.0 / i, lr=0.001) for i in (10, 20, 30)]
    lines.insert(2, {'object/rot_error_median': 40.0, 'step': 0})  # as mmengine logs it
    (run / 'scalars.json').write_text('\n'.join(json.dumps(x) for x in lines) + '\n{"iter": 4')
    return str(tmp_path / 'work')


def test_reads_train_and_val_and_draws(tmp_path):
    import cv2
    from hoverse.analysis.learning_curves import find_scalar_logs
    wd = _work_dir(tmp_path)
    train, val = read_scalars(find_scalar_logs(wd))
    assert train['loss_obj_rot'] == ([10, 20, 30], [0.1, 0.05, 1.0 / 30])
    assert val['object/rot_error_median'] == ([20], [40.0])
    out = plot_learning_curves(wd, str(tmp_path / 'c.png'))
    img = cv2.imread(out)
    assert img is not None and img.shape[0] > 100 and img.std() > 5


def test_missing_logs_are_named(tmp_path):
    with pytest.raises(FileNotFoundError, match='scalars.json'):
        plot_learning_curves(str(tmp_path), str(tmp_path / 'c.png'))
