# hoverse, the paper's method at full size (MCS-ResNet50, 256x256 crops, the paper's
# optimiser), on the synthetic set: the whole model end to end without HO3D or Dex-YCB,
# and the benchmarks' r50 row.
_base_ = ['../_base_/models/hoverse.py', '../_base_/datasets/synthetic.py',
          '../_base_/schedules/adam_step_70e.py', '../_base_/default_runtime.py']
model = dict(object_models_root=_base_.models_root)
# workers scaled to the machine and pinned memory on a GPU, as the HO3D and Dex-YCB configs
train_dataloader = dict(batch_size=8, num_workers='auto', pin_memory='auto')
val_dataloader = dict(batch_size=8)
test_dataloader = dict(batch_size=8)
