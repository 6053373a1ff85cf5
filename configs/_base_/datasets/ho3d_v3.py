# HO3D v3 in its official layout (data/HO3D_v3, jpg images; the YCB models in
# data/YCB_models; see docs/reproduce.md): the HO3D v2 protocol (./ho3d_v2.py) on v3's
# more accurate annotations. Training: train.txt without the validation sequences.
# Validation: those held-out training sequences. Test: the evaluation split (the CodaLab
# v3 submission, and the object and contact metrics its metas allow).
dataset_type = 'HO3Dv3Dataset'
data_root = 'data/HO3D_v3'
mano_path = 'data/mano'
models_root = 'data/YCB_models'
# one sequence of each of five subject-object pairs, held out of training
val_sequences = ['ABF14', 'BB14', 'GPMF14', 'GSF14', 'SiBF14']
input_size = (256, 256)
# the crop: a hand box (the projected joints in training; the evaluation split's
# handBoundingBox, else the joints, at test) enlarged to the hand and the object by this
# prior (tools/analysis_tools/hand_object_box_prior.py; v3 re-annotates v2's scenes: the
# HO3D v2 stand-in's measurement, docs/metrics.md). No object annotation enters a crop.
hand_object_prior = dict(scale=1.74, offset=(0.0, 0.09))
train_pipeline = [
    dict(type='LoadImage'),
    dict(type='HandObjectCropBox', sources=('joints', ), prior=hand_object_prior),
    dict(type='TopDownAffine', input_size=input_size, random=True),
    dict(type='ColorJitter'),
    dict(type='GenerateTargets'),
    dict(type='PackHandObjectInputs'),
]
test_pipeline = [
    dict(type='LoadImage'),
    dict(type='HandObjectCropBox', sources=('given', 'joints'), prior=hand_object_prior),
    dict(type='TopDownAffine', input_size=input_size),
    dict(type='GenerateTargets'),
    dict(type='PackHandObjectInputs'),
]
train_dataloader = dict(
    batch_size=32, num_workers='auto', persistent_workers=True,
    collate_fn=dict(type='hoverse.compact_collate'),  # one hand-over a batch
    pin_memory='auto', sampler=dict(type='DefaultSampler', shuffle=True),
    dataset=dict(type=dataset_type, data_root=data_root, split='train',
                 exclude_sequences=val_sequences, mano_path=mano_path,
                 models_root=models_root, pipeline=train_pipeline))
val_dataloader = dict(
    batch_size=32, num_workers='auto', persistent_workers=True,
    collate_fn=dict(type='hoverse.compact_collate'), drop_last=False,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(type=dataset_type, data_root=data_root, split='train',
                 sequences=val_sequences, mano_path=mano_path, models_root=models_root,
                 test_mode=True, pipeline=test_pipeline))
test_dataloader = dict(
    val_dataloader, dataset=dict(val_dataloader['dataset'], split='evaluation',
                                 sequences=None))
val_evaluator = [
    dict(type='HandPoseMetric'),
    dict(type='ObjectPoseMetric', models_root=models_root),
    dict(type='InteractionMetric', models_root=models_root, mano_path=mano_path),
]
# the submission goes to <work_dir>/results (tools/test.py)
test_evaluator = [
    dict(type='HandPoseMetric', result_format='ho3d', format_only=True),
    dict(type='ObjectPoseMetric', models_root=models_root),
    dict(type='InteractionMetric', models_root=models_root, mano_path=mano_path),
]
