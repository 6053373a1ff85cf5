# hoverse, the paper's method at CPU size (ResNet-18 streams, 128x128 crops) on the data,
# pipeline and protocol of hoverse_r50_dexycb_s0.py, with the CPU recipes' schedule
# (iterations, Adam at 1e-3, cosine decay). The stand-in runs of docs/results.md train it
# from random weights: --cfg-options model.backbone.init_cfg=None (no ImageNet weights on
# that machine).
_base_ = ['../_base_/models/hoverse_r18.py', '../_base_/datasets/dexycb_s0.py',
          '../_base_/schedules/adam_cosine_iters.py', '../_base_/default_runtime.py']
model = dict(object_models_root=_base_.models_root)
input_size = (128, 128)
train_pipeline = [
    dict(type='LoadImage'),
    dict(type='HandObjectCropBox', sources=('joints', ), prior=_base_.hand_object_prior),
    dict(type='TopDownAffine', input_size=input_size, random=True),
    dict(type='ColorJitter'),
    dict(type='GenerateTargets'),
    dict(type='PackHandObjectInputs'),
]
test_pipeline = [
    dict(type='LoadImage'),
    dict(type='HandObjectCropBox', sources=('given', 'joints'), prior=_base_.hand_object_prior),
    dict(type='TopDownAffine', input_size=input_size),
    dict(type='GenerateTargets'),
    dict(type='PackHandObjectInputs'),
]
# iteration-based training: an infinite sampler, so epochs do not restart the workers
train_dataloader = dict(batch_size=16, sampler=dict(type='InfiniteSampler', shuffle=True),
                        dataset=dict(pipeline=train_pipeline))
val_dataloader = dict(batch_size=16, dataset=dict(pipeline=test_pipeline))
test_dataloader = dict(batch_size=16, dataset=dict(pipeline=test_pipeline))
train_cfg = dict(max_iters=2000, val_interval=1000)
default_hooks = dict(logger=dict(interval=50),
                     checkpoint=dict(by_epoch=False, interval=1000, max_keep_ckpts=2))
log_processor = dict(by_epoch=False)
