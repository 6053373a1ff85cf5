# The long learning check: the quickstart on a larger synthetic set, trained long enough
# for the object's rotation to be learned (docs/notes.md):
#   python tools/misc/make_synthetic_dataset.py data/synthetic_long --num-train 5000 \
#       --num-val 300 --num-test 300 --num-eval 100 --num-workers 16
#   bash tools/misc/learning_check.sh configs/hoverse_plus/hoverse_plus_r18_synthetic_long.py 16
_base_ = ['./hoverse_plus_r18_synthetic.py']
data_root = 'data/synthetic_long'
models_root = data_root + '/models'
model = dict(object_models_root=models_root)
train_dataloader = dict(batch_size=32, num_workers='auto', pin_memory='auto',
                        dataset=dict(data_root=data_root))
val_dataloader = dict(num_workers=4, dataset=dict(data_root=data_root))
test_dataloader = dict(num_workers=4, dataset=dict(data_root=data_root))
val_evaluator = [
    dict(type='HandPoseMetric'),
    dict(type='ObjectPoseMetric', models_root=models_root),
    dict(type='InteractionMetric', models_root=models_root, mano_path=_base_.mano_path),
    dict(type='ObjectClassMetric'),
]
test_evaluator = val_evaluator
train_cfg = dict(max_iters=2500, val_interval=1250)
default_hooks = dict(logger=dict(interval=50), checkpoint=dict(interval=1250))
