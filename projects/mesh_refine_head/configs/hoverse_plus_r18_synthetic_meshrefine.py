# hoverse_r18_synthetic with the MeshRefineHead plugin as its hand decoder. Run from the
# repository root with the plugin's folder on the path:
#   PYTHONPATH=projects/mesh_refine_head python tools/train.py \
#       projects/mesh_refine_head/configs/hoverse_plus_r18_synthetic_meshrefine.py
_base_ = ['../../../configs/hoverse_plus/hoverse_plus_r18_synthetic.py']
custom_imports = dict(imports=['mesh_refine_head'], allow_failed_imports=False)
model = dict(
    mano_head=dict(type='MeshRefineHead', refine_channels=64, refine_layers=2,
                   offset_scale=0.01,
                   loss_coarse=dict(type='PointL1Loss', loss_weight=5.0)))
