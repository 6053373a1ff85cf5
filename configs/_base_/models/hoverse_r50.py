# hoverse: MCS-ResNet50 -> D-BFAM -> CFSM -> MANO head + object pose head (+ physics losses).
# Every loss term and weight is here: a config that inherits this one changes a weight with
# e.g. model=dict(object_head=dict(loss_rot=dict(loss_weight=2.0))) and drops a term with
# loss_<name>=None.
model = dict(
    type='HandObjectReconstructor',
    data_preprocessor=dict(type='HandObjectDataPreprocessor'),
    backbone=dict(
        type='DualStreamResNet', depth=50, split_stage=2, out_channels=256,
        init_cfg=dict(type='Pretrained', checkpoint='torchvision://resnet50')),
    dbfam=dict(type='DBFAM', in_channels=256, hidden=128, num_layers=2),
    cfsm=dict(type='CFSM', channels=256, num_heads=4, token_stride=2),
    mano_head=dict(
        type='MANOHead', in_channels=256, kpt_channels=128, hidden=512, num_iters=3,
        # D-BFAM's 2D joints (crop-normalised) as regressor inputs beside their features
        use_kpt_coords=True,
        mano=dict(type='MANOLayer', model_path='data/mano'),
        loss_joints=dict(type='PointL1Loss', loss_weight=10.0),
        loss_root=dict(type='PointL1Loss', loss_weight=1.0),
        loss_verts=dict(type='PointL1Loss', loss_weight=10.0),
        loss_mano=dict(type='MANOParamLoss', loss_weight=1.0, shape_weight=0.1),
        loss_edge=dict(type='EdgeLengthLoss', loss_weight=10.0),
        loss_normal=dict(type='NormalConsistencyLoss', loss_weight=0.1),
        loss_heatmap=dict(type='HeatmapLoss', loss_weight=1.0, coord_weight=1.0),
        loss_global_orient=None,
        # the joints under the true global orientation: articulation apart from orientation
        loss_articulation=dict(type='PointL1Loss', loss_weight=10.0)),
    object_head=dict(
        type='ObjectPoseHead', in_channels=256, kpt_channels=128, hidden=512, num_iters=3,
        use_kpt_coords=True,
        # ground truth taken up to the object's symmetries (models_info.json); None: as is
        symmetry=dict(type='NearestSymmetricPose'),
        loss_rot=dict(type='GeodesicRotationLoss', loss_weight=1.0),
        loss_trans=dict(type='PointL1Loss', loss_weight=10.0),
        loss_corners=dict(type='PointL1Loss', loss_weight=10.0),
        loss_verts=dict(type='PointL1Loss', loss_weight=10.0),
        loss_heatmap=dict(type='HeatmapLoss', loss_weight=1.0, coord_weight=1.0),
        # options measured off (docs/benchmarks.md): the object branch read on a lattice
        # around its centre (roi_grid > 0), and the rotation up to half turns with a
        # classifier choosing one (flip_hypotheses=True; only then is loss_flip built)
        roi_grid=0, roi_extent=0.5, flip_hypotheses=False,
        loss_flip=dict(type='LabelCELoss', loss_weight=0.5),
        # the object's coordinate map is off (the head's coord_map=None; a config that
        # wants it sets coord_map=dict(type='ObjectCoordinateMap', ...), as
        # hoverse_r18_synthetic_long_coords.py does); its losses (built only with
        # coord_map)
        loss_coords=dict(type='MaskedMapL1Loss', loss_weight=1.0),
        loss_coord_mask=dict(type='MapBCELoss', loss_weight=0.5),
        # the learnt PnP on that map is off too (the head's patch_pnp=None; a config sets
        # patch_pnp=dict(type='PatchPnP', ...) with a coord_map, as
        # hoverse_r18_synthetic_long_patch.py does); its loss (built only with patch_pnp)
        loss_patch_rot=dict(type='GeodesicRotationLoss', loss_weight=1.0),
        # which rotation is reported: the regressed one, or one read from the map
        # (hoverse/models/heads/rotation_readouts.py: 'pnp', 'pnp_flip', 'patch',
        # 'patch_flip', 'patch_spin', 'patch_blend', or a dict(type=...) with options)
        rot_readout='regressed'),
    # no auxiliary segmentation head here (the real sets' loaders read no masks); a config
    # with masks adds seg_head=dict(type='SegmentationHead', in_channels=..., hidden=64,
    # loss_seg=dict(type='SegmentationCELoss', loss_weight=1.0)) and LoadImage(with_mask=True)
    # which object is held (ObjectClassificationHead, over the template library's objects):
    # a config adds cls_head=dict(type='ObjectClassificationHead', in_channels=...,
    # class_names=[...]); configs/_base_/models/ycb_object_classes.py does it for YCB
    interaction_head=dict(
        type='InteractionHead',
        loss_sdf=dict(type='SDFPenetrationLoss', loss_weight=10.0, object_weight=1.0),
        loss_contact=dict(type='ContactLoss', loss_weight=1.0, threshold=0.005)),
    # object templates (YCB layout) for object vertices, symmetries and the physics losses
    object_models_root=None,
    input_size=256,
    # keypoint names, counts and graphs: the datasets' description file
    dataset_info='hoverse/datasets/metainfo/hand_object.py',
    # the heatmap codec of D-BFAM and both heads, declared once (stride 8: 32x32 maps)
    codec=dict(type='SoftArgmaxHeatmap', input_size=256, heatmap_size=32, sigma=1.5),
    test_cfg=dict(use_gt_root=True),
)
