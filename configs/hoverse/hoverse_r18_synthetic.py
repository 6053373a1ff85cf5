# hoverse, the paper's method at CPU size (ResNet-18 streams, 128x128 crops) on the
# synthetic set, trained from random weights. The quickstart adds our additions on top:
# configs/hoverse_plus/hoverse_plus_r18_synthetic.py.
_base_ = ['../_base_/models/hoverse_r18.py', '../_base_/datasets/synthetic.py',
          '../_base_/schedules/adam_cosine_iters.py', '../_base_/default_runtime.py']
model = dict(
    # random weights on purpose: the quickstart trains the whole network on the CPU
    backbone=dict(init_cfg=None),
    object_models_root=_base_.models_root)
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
default_hooks = dict(logger=dict(interval=25),
                     checkpoint=dict(by_epoch=False, interval=300, max_keep_ckpts=2))
log_processor = dict(by_epoch=False)
