# hoverse, MCS-ResNet50, Dex-YCB s0. Paper: 256x256 crops, Adam, initial lr 1e-4 with step
# decay; epochs and decay points are our choice (70 epochs, x0.1 at 40 and 60).
_base_ = [
    '../_base_/models/hoverse_r50.py', '../_base_/datasets/dexycb_s0.py',
    '../_base_/schedules/adam_step_70e.py', '../_base_/default_runtime.py'
]
model = dict(object_models_root='data/dex_ycb/models')
val_evaluator = [dict(type='HandPoseMetric'), dict(type='ObjectPoseMetric')]
test_evaluator = val_evaluator
