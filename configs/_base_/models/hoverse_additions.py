# Our additions to the paper's method, as one override of a hoverse model (the configs in
# configs/hoverse_plus/ merge it into a paper config; docs/paper_fidelity.md says what each
# does and what it was measured to give):
# - 2D keypoint inputs: D-BFAM's 2D joints and object keypoints (crop-normalised) as inputs
#   to both decoders' regressors, beside their features;
# - the articulation loss: the predicted finger pose and shape under the true global
#   orientation, so that an uncertain orientation does not curl the fingers;
# - symmetric target assignment: every object loss takes the ground truth up to the
#   object's symmetries (models_info.json);
# - the object classifier: which object is held, so that the demos need no --object
#   (the configs add cls_head with their classes).
# The test-time fits are further additions, off here: model.mano_head.test_fit=dict(
# type='HandKeypointFitter') (docs/notes.md).
# (_delete_: the paper config's None is replaced, not merged into)
hoverse_additions = dict(
    mano_head=dict(use_kpt_coords=True,
                   loss_articulation=dict(_delete_=True, type='PointL1Loss', loss_weight=10.0)),
    object_head=dict(use_kpt_coords=True,
                     symmetry=dict(_delete_=True, type='NearestSymmetricPose')))
