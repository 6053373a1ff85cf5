# The longer learning check: hoverse_r18_synthetic on a larger synthetic set, trained long
# enough for the object's rotation to be learned (docs/benchmarks.md gives the numbers).
#   python tools/misc/make_synthetic_dataset.py data/synthetic_long --num-train 5000 \
#       --num-val 300 --num-eval 100 --num-workers 16
#   python tools/train.py configs/hoverse/hoverse_r18_synthetic_long.py
# or all of it, with the evaluation, baselines and learning curves:
#   bash tools/misc/learning_check.sh configs/hoverse/hoverse_r18_synthetic_long.py 16
# About 0.15 s an iteration on one H100 (batch 32, 12 workers); about 1.3 s on 2 CPU cores
# at batch 16.
_base_ = ['./hoverse_r18_synthetic.py']
data_root = 'data/synthetic_long'
model = dict(object_models_root=data_root + '/models')
train_dataloader = dict(batch_size=32, num_workers=8,
                        dataset=dict(data_root=data_root))
val_dataloader = dict(num_workers=4, dataset=dict(data_root=data_root))
test_dataloader = val_dataloader
_evaluators = [
    dict(type='HandPoseMetric'),
    dict(type='ObjectPoseMetric', models_root=data_root + '/models'),
    dict(type='InteractionMetric', models_root=data_root + '/models', mano_path='data/mano'),
]
val_evaluator = _evaluators
test_evaluator = _evaluators
train_cfg = dict(by_epoch=False, max_iters=2500, val_interval=1250)
default_hooks = dict(logger=dict(interval=50),
                     checkpoint=dict(by_epoch=False, interval=1250, max_keep_ckpts=2))
