# Dex-YCB, setup s0, the official toolkit's splits (data/dex_ycb as distributed, the YCB
# models in data/dex_ycb/models; see docs/reproduce.md). Validation on s0's val split
# (subjects 1-2: the best checkpoint comes from it); test on its test split (subjects
# 3-10), which also writes the toolkit's HPE result file to <work_dir>/results.
dataset_type = 'DexYCBDataset'
data_root = 'data/dex_ycb'
mano_path = 'data/mano'
models_root = data_root + '/models'
input_size = (256, 256)
# the crop: the hand box of the projected joints (training and test, as peers crop
# Dex-YCB), enlarged to the hand and the object by this prior
# (tools/analysis_tools/hand_object_box_prior.py; measured on the Dex-YCB stand-in,
# docs/metrics.md). No object annotation enters a crop.
hand_object_prior = dict(scale=1.74, offset=(0.0, 0.09))
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
    batch_size=32, num_workers='auto', persistent_workers=True,
    collate_fn=dict(type='hoverse.compact_collate'),  # one hand-over a batch
    pin_memory='auto', sampler=dict(type='DefaultSampler', shuffle=True),
    dataset=dict(type=dataset_type, data_root=data_root, setup='s0', split='train',
                 mano_path=mano_path, models_root=models_root, pipeline=train_pipeline))
val_dataloader = dict(
    batch_size=32, num_workers='auto', persistent_workers=True,
    collate_fn=dict(type='hoverse.compact_collate'), drop_last=False,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(type=dataset_type, data_root=data_root, setup='s0', split='val',
                 mano_path=mano_path, models_root=models_root, test_mode=True,
                 pipeline=test_pipeline))
test_dataloader = dict(val_dataloader, dataset=dict(val_dataloader['dataset'], split='test'))
# Dex-YCB's HPE protocol (absolute, root-relative and Procrustes MPJPE with AUC over
# 0-50 mm) plus the object and contact metrics
val_evaluator = [
    dict(type='HandPoseMetric'),
    dict(type='ObjectPoseMetric', models_root=models_root),
    dict(type='InteractionMetric', models_root=models_root, mano_path=mano_path),
]
test_evaluator = [
    dict(type='HandPoseMetric', result_format='dexycb'),
    dict(type='ObjectPoseMetric', models_root=models_root),
    dict(type='InteractionMetric', models_root=models_root, mano_path=mano_path),
]
