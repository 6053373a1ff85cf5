# hoverse, MCS-ResNet50, HO3D v2. Paper: 256x256 crops, Adam, initial lr 1e-4 with step
# decay; epochs and decay points are our choice (70 epochs, x0.1 at 40 and 60).
_base_ = [
    '../_base_/models/hoverse_r50.py', '../_base_/datasets/ho3d_v2.py',
    '../_base_/schedules/adam_step_70e.py', '../_base_/default_runtime.py'
]
model = dict(object_models_root='data/YCB_models')
val_evaluator = [dict(type='HandPoseMetric'), dict(type='ObjectPoseMetric')]
test_evaluator = val_evaluator
