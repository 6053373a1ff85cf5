# The synthetic hand-object set (tools/misc/make_synthetic_dataset.py), HO3D v2 layout.
_base_ = ['./hand_object_pipelines.py']
dataset_type = 'SyntheticHODataset'
data_root = 'data/synthetic'
mano_path = 'data/mano'
train_pipeline = _base_.train_pipeline
test_pipeline = _base_.test_pipeline

train_dataloader = dict(
    batch_size=16,
    num_workers=2,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=True),
    collate_fn=dict(type='hoverse.compact_collate'),  # one hand-over a batch (workers)
    dataset=dict(type=dataset_type, data_root=data_root, split='train', ann_file='train.txt',
                 mano_path=mano_path, pipeline=train_pipeline))
val_dataloader = dict(
    batch_size=16,
    num_workers=2,
    persistent_workers=True,
    drop_last=False,
    sampler=dict(type='DefaultSampler', shuffle=False),
    collate_fn=dict(type='hoverse.compact_collate'),  # one hand-over a batch (workers)
    dataset=dict(type=dataset_type, data_root=data_root, split='train', ann_file='val.txt',
                 mano_path=mano_path, test_mode=True, pipeline=test_pipeline))
test_dataloader = val_dataloader

# hand, object and contact metrics (docs/metrics.md); the set has full ground truth
val_evaluator = [
    dict(type='HandPoseMetric'),
    dict(type='ObjectPoseMetric', models_root=data_root + '/models'),
    dict(type='InteractionMetric', models_root=data_root + '/models', mano_path=mano_path),
    dict(type='ObjectClassMetric'),  # with the model's cls_head
]
test_evaluator = val_evaluator
#: the synthetic objects (tools/misc/make_synthetic_dataset.py), the classifier's classes
synthetic_objects = ['ball', 'banana', 'bottle', 'bowl', 'box', 'can', 'mug']
