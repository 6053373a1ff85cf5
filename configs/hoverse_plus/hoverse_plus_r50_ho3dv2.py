# hoverse with our additions (configs/_base_/models/hoverse_additions.py, and the object
# classifier over Dex-YCB's 21 YCB objects) on HO3D v2; otherwise hoverse_r50_ho3dv2.py.
_base_ = ['../hoverse/hoverse_r50_ho3dv2.py', '../_base_/models/ycb_object_classes.py',
          '../_base_/models/hoverse_additions.py']
model = dict(_base_.hoverse_additions,
             cls_head=dict(type='ObjectClassificationHead', in_channels=256,
                           class_names=_base_.ycb_object_classes,
                           loss_cls=dict(type='ObjectClassCELoss', loss_weight=0.5)))
val_evaluator = [*_base_.val_evaluator, dict(type='ObjectClassMetric')]
test_evaluator = [*_base_.test_evaluator, dict(type='ObjectClassMetric')]
