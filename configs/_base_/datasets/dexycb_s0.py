# Dex-YCB, setup s0 (official toolkit splits).
dataset_type = 'DexYCBDataset'
data_root = 'data/dex_ycb'
mano_path = 'data/mano'
input_size = (256, 256)
train_pipeline = [
    dict(type='LoadImage'), dict(type='GetHandObjectBBox'),
    dict(type='TopDownAffine', input_size=input_size, random=True), dict(type='ColorJitter'),
    dict(type='GenerateTargets'), dict(type='PackHandObjectInputs')
]
test_pipeline = [
    dict(type='LoadImage'), dict(type='GetHandObjectBBox'),
    dict(type='TopDownAffine', input_size=input_size), dict(type='GenerateTargets'),
    dict(type='PackHandObjectInputs')
]
train_dataloader = dict(
    batch_size=32, num_workers=8, persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=True),
    dataset=dict(type=dataset_type, data_root=data_root, setup='s0', split='train',
                 mano_path=mano_path, pipeline=train_pipeline))
val_dataloader = dict(
    batch_size=32, num_workers=8, persistent_workers=True, drop_last=False,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(type=dataset_type, data_root=data_root, setup='s0', split='test',
                 mano_path=mano_path, test_mode=True, pipeline=test_pipeline))
test_dataloader = val_dataloader
