# HO3D v2 (official layout). Training on 'train'; the hidden 'evaluation' split is for
# submissions (root joint and hand box only).
dataset_type = 'HO3Dv2Dataset'
data_root = 'data/HO3D_v2'
mano_path = 'data/mano'
models_root = 'data/YCB_models'
input_size = (256, 256)
train_pipeline = [
    dict(type='LoadImage'), dict(type='GetHandObjectBBox'),
    dict(type='TopDownAffine', input_size=input_size, random=True), dict(type='ColorJitter'),
    dict(type='GenerateTargets'), dict(type='PackHandObjectInputs')
]
test_pipeline = [
    dict(type='LoadImage'), dict(type='GetHandObjectBBox', use_given=True),
    dict(type='TopDownAffine', input_size=input_size), dict(type='GenerateTargets'),
    dict(type='PackHandObjectInputs')
]
train_dataloader = dict(
    batch_size=32, num_workers=8, persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=True),
    dataset=dict(type=dataset_type, data_root=data_root, split='train', mano_path=mano_path,
                 models_root=models_root, pipeline=train_pipeline))
val_dataloader = dict(
    batch_size=32, num_workers=8, persistent_workers=True, drop_last=False,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(type=dataset_type, data_root=data_root, split='evaluation',
                 mano_path=mano_path, models_root=models_root, test_mode=True,
                 pipeline=test_pipeline))
test_dataloader = val_dataloader
