# The long learning check's best recipe (docs/notes.md): the coordinate map read by a
# learnt PnP (PatchPnP, as GDR-Net's Patch-PnP) around D-BFAM's object centre, whose loss
# trains it alone (detach_maps). The rotation reported takes the way round and the spin
# about the object's long side (its symmetry axis, where it has one) from the learnt PnP,
# and the axis from a blend of the regression and the learnt PnP (patch_blend, the learnt
# PnP's share 0.25); the hand is the regression fitted to D-BFAM's 2D joints
# (HandKeypointFitter). Every other readout, and the hand unfitted, from one checkpoint:
#   python tools/test.py CONFIG CKPT --cfg-options model.object_head.rot_readout=regressed \
#       model.mano_head.test_fit=None
# The whole recipe (six cycles, about 6 h on 2 CPU cores in bf16):
#   CYCLES="3200:1e-3 3200:1e-3 2500:1e-3 2500:3e-4 2500:3e-4 2500:3e-4" bash \
#     tools/misc/learning_check.sh configs/hoverse_plus/hoverse_plus_r18_synthetic_long_patch.py \
#     2 5000 --amp
_base_ = ['./hoverse_plus_r18_synthetic_long_coords.py']
model = dict(
    mano_head=dict(test_fit=dict(_delete_=True, type='HandKeypointFitter', steps=100, lr=0.01,
                                 pose_weight=0.01, shape_weight=0.001)),
    object_head=dict(patch_pnp=dict(type='PatchPnP', grid=16, extent=0.75, hidden=128,
                                    detach_maps=True),
                     rot_readout='patch_blend'))
