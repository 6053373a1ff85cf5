# The pipelines every hand-object dataset config shares: load, box, crop, (augment),
# targets, pack. A config that changes one step derives from these, e.g.
#   train_pipeline = [dict(t, input_size=(128, 128)) if t['type'] == 'TopDownAffine' else t
#                     for t in _base_.train_pipeline]
input_size = (256, 256)
# LoadImage(decode_at_crop_size=True) has the crop step decode a JPEG at 1/2, 1/4 or 1/8
# scale when the crop is at least that many times the input size (high-resolution images,
# small inputs); docs/benchmarks.md measures when it pays
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
