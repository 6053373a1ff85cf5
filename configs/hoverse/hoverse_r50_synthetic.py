# The full hoverse (MCS-ResNet50, 256x256 crops, the paper's optimiser) on the synthetic set:
# for checking the full model end to end without HO3D or Dex-YCB, and for benchmarks.
_base_ = [
    '../_base_/models/hoverse_r50.py', '../_base_/datasets/synthetic.py',
    '../_base_/schedules/adam_step_70e.py', '../_base_/default_runtime.py'
]
model = dict(object_models_root='data/synthetic/models',
             cls_head=dict(type='ObjectClassificationHead', in_channels=256,
                           class_names=_base_.synthetic_objects))
# workers scaled to the machine (cores per process minus one, at most 8) and pinned memory
# on a GPU, as the HO3D and Dex-YCB configs (two fixed workers give about 400 samples/s at
# 256 px, benchmark_data.py, which a GPU's step at batch 32 may outrun)
train_dataloader = dict(batch_size=8, num_workers='auto', pin_memory='auto')
val_dataloader = dict(batch_size=8)
test_dataloader = val_dataloader
