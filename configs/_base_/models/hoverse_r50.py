# hoverse: MCS-ResNet50 -> D-BFAM -> CFSM -> MANO head + object pose head.
model = dict(
    type='HandObjectReconstructor',
    data_preprocessor=dict(type='HandObjectDataPreprocessor'),
    backbone=dict(
        type='DualStreamResNet', depth=50, split_stage=2, out_channels=256,
        init_cfg=dict(type='Pretrained', checkpoint='torchvision://resnet50')),
    dbfam=dict(type='DBFAM', in_channels=256, hidden=128, num_layers=2),
    cfsm=dict(type='CFSM', channels=256, num_heads=4, token_stride=2),
    mano_head=dict(type='MANOHead', in_channels=256, kpt_channels=128, hidden=512,
                   num_iters=3, mano=dict(type='MANOLayer', model_path='data/mano')),
    object_head=dict(type='ObjectPoseHead', in_channels=256, kpt_channels=128, hidden=512,
                     num_iters=3),
    # object templates (YCB layout) for object vertices and the physics losses
    object_models_root=None,
    input_size=256,
    test_cfg=dict(use_gt_root=True),
)
