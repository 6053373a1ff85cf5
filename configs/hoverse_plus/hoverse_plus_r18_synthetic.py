# The quickstart (`make demo`): hoverse_r18_synthetic.py with our additions
# (configs/_base_/models/hoverse_additions.py), the object classifier over the synthetic
# set's seven objects (the demos need no --object), the object's rotation regressed in
# the hand's frame, and an auxiliary background / hand / object segmentation head on the
# set's masks. 600 iterations, about 12 minutes on 2 CPU cores.
_base_ = ['../hoverse/hoverse_r18_synthetic.py', '../_base_/models/hoverse_additions.py']
model = dict(
    _base_.hoverse_additions,
    object_head=dict(_base_.hoverse_additions['object_head'], rot_relative_to_hand=True),
    seg_head=dict(type='SegmentationHead', in_channels=128, hidden=64,
                  loss_seg=dict(type='SegmentationCELoss', loss_weight=1.0)),
    cls_head=dict(type='ObjectClassificationHead', in_channels=128, hidden=128,
                  class_names=_base_.synthetic_objects,
                  loss_cls=dict(type='ObjectClassCELoss', loss_weight=0.5)))
train_pipeline = [
    dict(type='LoadImage', with_mask=True),  # the segmentation head's targets
    dict(type='HandObjectCropBox', sources=('joints', ), prior=_base_.hand_object_prior),
    dict(type='TopDownAffine', input_size=_base_.input_size, random=True),
    dict(type='ColorJitter'),
    dict(type='GenerateTargets'),
    dict(type='PackHandObjectInputs'),
]
train_dataloader = dict(dataset=dict(pipeline=train_pipeline))
val_evaluator = [*_base_.val_evaluator, dict(type='ObjectClassMetric')]
test_evaluator = val_evaluator
