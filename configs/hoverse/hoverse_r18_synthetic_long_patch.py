# The longer learning check with a learnt PnP: hoverse_r18_synthetic_long_coords' coordinate
# map, read by a small network (PatchPnP, as GDR-Net's Patch-PnP) around D-BFAM's object
# centre, which regresses a second rotation in the camera frame with its own symmetry-aware
# loss (loss_obj_patch_rot; its gradient also trains the map). The rotation reported is the
# learnt PnP's; the head's regressed one (in the hand's frame) is still trained and scored by
#   python tools/test.py configs/hoverse/hoverse_r18_synthetic_long_patch.py CKPT \
#       --cfg-options model.object_head.rot_readout=regressed
# docs/benchmarks.md gives both readouts' numbers.
_base_ = ['./hoverse_r18_synthetic_long_coords.py']
model = dict(object_head=dict(
    patch_pnp=dict(type='PatchPnP', grid=16, extent=0.75, hidden=128),
    rot_readout='patch_spin'))
