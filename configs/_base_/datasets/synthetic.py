# The synthetic hand-object set (tools/misc/make_synthetic_dataset.py; HO3D v2's layout and
# metas, with masks): training on train.txt, validation on val.txt, test on test.txt (all
# three in train/, full ground truth); the evaluation/ split is HO3D-style (hidden hands).
dataset_type = 'SyntheticHODataset'
data_root = 'data/synthetic'
mano_path = 'data/mano'
models_root = data_root + '/models'
input_size = (256, 256)
# the crop: the hand box of the projected joints, enlarged to the hand and the object by
# the prior measured on this set's training split (tools/analysis_tools/
# hand_object_box_prior.py, docs/metrics.md). No object annotation enters a crop.
hand_object_prior = dict(scale=1.71, offset=(0.0, 0.09))
train_pipeline = [
    dict(type='LoadImage'),
    dict(type='HandObjectCropBox', sources=('joints', ), prior=hand_object_prior),
    dict(type='TopDownAffine', input_size=input_size, random=True),
    dict(type='ColorJitter'),
    dict(type='GenerateTargets'),
    dict(type='PackHandObjectInputs'),
]
test_pipeline = [
    dict(type='LoadImage'),
    dict(type='HandObjectCropBox', sources=('given', 'joints'), prior=hand_object_prior),
    dict(type='TopDownAffine', input_size=input_size),
    dict(type='GenerateTargets'),
    dict(type='PackHandObjectInputs'),
]
train_dataloader = dict(
    batch_size=16, num_workers=2, persistent_workers=True,
    collate_fn=dict(type='hoverse.compact_collate'),  # one hand-over a batch
    sampler=dict(type='DefaultSampler', shuffle=True),
    dataset=dict(type=dataset_type, data_root=data_root, split='train', ann_file='train.txt',
                 mano_path=mano_path, pipeline=train_pipeline))
val_dataloader = dict(
    batch_size=16, num_workers=2, persistent_workers=True,
    collate_fn=dict(type='hoverse.compact_collate'), drop_last=False,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(type=dataset_type, data_root=data_root, split='train', ann_file='val.txt',
                 mano_path=mano_path, test_mode=True, pipeline=test_pipeline))
test_dataloader = dict(val_dataloader, dataset=dict(val_dataloader['dataset'],
                                                    ann_file='test.txt'))
# hand, object and contact metrics (docs/metrics.md); the set has full ground truth
val_evaluator = [
    dict(type='HandPoseMetric'),
    dict(type='ObjectPoseMetric', models_root=models_root),
    dict(type='InteractionMetric', models_root=models_root, mano_path=mano_path),
]
test_evaluator = val_evaluator
#: the synthetic objects (tools/misc/make_synthetic_dataset.py), the classifier's classes
synthetic_objects = ['ball', 'banana', 'bottle', 'bowl', 'box', 'can', 'mug']
