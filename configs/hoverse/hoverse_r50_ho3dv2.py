# hoverse, MCS-ResNet50, HO3D v2. Paper: 256x256 crops, Adam, initial lr 1e-4 with step
# decay; epochs and decay points are our choice (70 epochs, x0.1 at 40 and 60).
_base_ = [
    '../_base_/models/hoverse_r50.py', '../_base_/models/ycb_object_classes.py',
    '../_base_/datasets/ho3d_v2.py',
    '../_base_/schedules/adam_step_70e.py', '../_base_/default_runtime.py'
]
model = dict(
    object_models_root='data/YCB_models',
    # which object is held: the demos need no --object
    cls_head=dict(type='ObjectClassificationHead', in_channels=256,
                  class_names=_base_.ycb_object_classes,
                  loss_cls=dict(type='ObjectClassCELoss', loss_weight=0.5)))
# The 'evaluation' split hides the hand ground truth: validation and testing write the
# CodaLab submission (pred.json and pred.zip) instead of scoring; score it locally with
# tools/analysis_tools/eval_ho3d.py when you hold the ground truth.
val_evaluator = dict(type='HandPoseMetric', result_format='ho3d', format_only=True,
                     outfile_prefix='work_dirs/hoverse_r50_ho3dv2/submission')
test_evaluator = val_evaluator
default_hooks = dict(checkpoint=dict(save_best=None))
