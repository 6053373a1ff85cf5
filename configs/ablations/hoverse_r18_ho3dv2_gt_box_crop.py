# Protocol ablation: the crop protocol hoverse used before HandObjectCropBox, kept to measure
# what it changed (docs/results.md). Training and test crops frame the projected
# ground-truth hand joints and object box (GetHandObjectBBox): on a test split the object's
# annotation enters the crop, so numbers from this config are not a benchmark's.
_base_ = ['../hoverse/hoverse_r18_ho3dv2.py']
input_size = (128, 128)
train_pipeline = [
    dict(type='LoadImage'),
    dict(type='GetHandObjectBBox'),
    dict(type='TopDownAffine', input_size=input_size, random=True),
    dict(type='ColorJitter'),
    dict(type='GenerateTargets'),
    dict(type='PackHandObjectInputs'),
]
test_pipeline = [
    dict(type='LoadImage'),
    dict(type='GetHandObjectBBox'),
    dict(type='TopDownAffine', input_size=input_size),
    dict(type='GenerateTargets'),
    dict(type='PackHandObjectInputs'),
]
train_dataloader = dict(dataset=dict(pipeline=train_pipeline))
val_dataloader = dict(dataset=dict(pipeline=test_pipeline))
test_dataloader = dict(dataset=dict(pipeline=test_pipeline))
