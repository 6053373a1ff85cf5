# hoverse, MCS-ResNet50, Dex-YCB s0. Paper: 256x256 crops, Adam, initial lr 1e-4 with step
# decay; epochs and decay points are our choice (70 epochs, x0.1 at 40 and 60).
_base_ = [
    '../_base_/models/hoverse_r50.py', '../_base_/models/ycb_object_classes.py',
    '../_base_/datasets/dexycb_s0.py',
    '../_base_/schedules/adam_step_70e.py', '../_base_/default_runtime.py'
]
model = dict(
    object_models_root='data/dex_ycb/models',
    # which object is held: the demos need no --object
    cls_head=dict(type='ObjectClassificationHead', in_channels=256,
                  class_names=_base_.ycb_object_classes,
                  loss_cls=dict(type='ObjectClassCELoss', loss_weight=0.5)))
# Dex-YCB's HPE protocol (absolute, root-relative and Procrustes MPJPE with AUC over
# 0-50 mm) plus object and contact metrics; testing also writes the official result file.
val_evaluator = [
    dict(type='HandPoseMetric'),
    dict(type='ObjectPoseMetric', models_root='data/dex_ycb/models'),
    dict(type='InteractionMetric', models_root='data/dex_ycb/models', mano_path='data/mano'),
]
test_evaluator = [
    dict(type='HandPoseMetric', result_format='dexycb',
         outfile_prefix='work_dirs/hoverse_r50_dexycb_s0/results'),
    dict(type='ObjectPoseMetric', models_root='data/dex_ycb/models'),
    dict(type='InteractionMetric', models_root='data/dex_ycb/models', mano_path='data/mano'),
]
