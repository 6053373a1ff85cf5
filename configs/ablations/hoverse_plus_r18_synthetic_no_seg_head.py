# Ablation: no auxiliary segmentation head (and no masks loaded).
_base_ = ['../hoverse_plus/hoverse_plus_r18_synthetic.py']
model = dict(seg_head=None)
# the paper configuration's training pipeline, which loads no masks
train_dataloader = dict(dataset=dict(pipeline=[
    dict(type='LoadImage'),
    dict(type='HandObjectCropBox', sources=('joints', ), prior=_base_.hand_object_prior),
    dict(type='TopDownAffine', input_size=_base_.input_size, random=True),
    dict(type='ColorJitter'),
    dict(type='GenerateTargets'),
    dict(type='PackHandObjectInputs'),
]))
