# The longer learning check with a learnt PnP: hoverse_r18_synthetic_long_coords' coordinate
# map, read by a small network (PatchPnP, as GDR-Net's Patch-PnP) around D-BFAM's object
# centre, which regresses a second rotation in the camera frame with its own symmetry-aware
# loss (loss_obj_patch_rot; its gradient also trains the map). The rotation reported takes
# the object's axis from the head's regression (in the hand's frame) and which way round it
# is and its spin about its longest side from the learnt PnP (rot_readout='patch_spin').
# Every other readout comes from the same checkpoint, e.g. the regressed rotation alone:
#   python tools/test.py configs/hoverse/hoverse_r18_synthetic_long_patch.py CKPT \
#       --cfg-options model.object_head.rot_readout=regressed
# One run (bf16, 3,200 iterations, 1 h 10 min on 2 CPU cores; docs/benchmarks.md): median
# 24.1 degrees, mean 35.1, against 24.9 and 40.5 for hoverse_r18_synthetic_long_coords'
# regression on the same data; the map itself becomes a worse coordinate map.
_base_ = ['./hoverse_r18_synthetic_long_coords.py']
model = dict(object_head=dict(
    patch_pnp=dict(type='PatchPnP', grid=16, extent=0.75, hidden=128),
    rot_readout='patch_spin'))
