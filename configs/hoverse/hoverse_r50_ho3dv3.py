# hoverse, the paper's method, on HO3D v3 (HO3D v2's recipe and protocol on v3's data).
_base_ = ['../_base_/models/hoverse.py', '../_base_/datasets/ho3d_v3.py',
          '../_base_/schedules/adam_step_70e.py', '../_base_/default_runtime.py']
model = dict(object_models_root=_base_.models_root)
