from mmengine.config import Config

from hoverse.datasets.annotation_sets import build_annotation_sets


def test_the_config_sets_without_pipelines(synthetic_root, mano_dir):
    cfg = Config.fromfile('configs/hoverse_plus/hoverse_plus_r18_synthetic.py')
    for phase in ('train', 'val'):
        cfg[f'{phase}_dataloader'].dataset.update(data_root=synthetic_root, mano_path=mano_dir)
    sets = build_annotation_sets(cfg, ('train', 'val'))
    assert set(sets) == {'train', 'val'}
    assert len(sets['train']) == 6 and len(sets['val']) == 3
    for ds in sets.values():
        assert len(ds.pipeline.transforms) == 0  # no image is read
        info = ds[0]  # through the empty pipeline: the annotation itself
        assert info['joints_cam'].shape == (21, 3) and 'inputs' not in info
