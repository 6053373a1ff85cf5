"""mmengine's CheckpointHook, made safe against a kill at any moment of a save."""
import glob
import os
import os.path as osp

from mmengine.dist import is_main_process
from mmengine.hooks import CheckpointHook

from hoverse.registry import HOOKS

from ..atomic_backend import atomic_write_bytes


@HOOKS.register_module()
class SafeCheckpointHook(CheckpointHook):
    """:class:`mmengine.hooks.CheckpointHook` with the order of a save made safe:

    1. the new checkpoint is written (atomically, with the runtime's ``CheckpointIOHook``);
    2. ``last_checkpoint`` is replaced atomically to point at it;
    3. only then is the checkpoint that falls out of ``max_keep_ckpts`` deleted.

    mmengine deletes first and writes ``last_checkpoint`` with a truncating ``open``: a kill
    during the save then leaves no checkpoint (``max_keep_ckpts=1``) or an empty
    ``last_checkpoint``. Before training, temporary files of interrupted saves
    (``.<name>.*.tmp``) in the output folder are removed (the work-dir lock of
    ``tools/train.py`` makes sure no other run is writing them).
    """

    def before_train(self, runner) -> None:
        super().before_train(runner)
        if is_main_process() and osp.isdir(self.out_dir):
            for tmp in glob.glob(osp.join(self.out_dir, '.*.tmp')):
                os.remove(tmp)

    def _save_checkpoint_with_step(self, runner, step, meta) -> None:
        outdated = None
        if self.max_keep_ckpts > 0 and not (
                self.keep_ckpt_ids and self.keep_ckpt_ids[-1] == step):
            if len(self.keep_ckpt_ids) == self.max_keep_ckpts:
                outdated = self.keep_ckpt_ids.popleft()
            self.keep_ckpt_ids.append(step)
            runner.message_hub.update_info('keep_ckpt_ids', list(self.keep_ckpt_ids))
        ckpt_filename = self.filename_tmpl.format(step)
        self.last_ckpt = self.file_backend.join_path(self.out_dir, ckpt_filename)
        runner.message_hub.update_info('last_ckpt', self.last_ckpt)
        runner.save_checkpoint(
            self.out_dir, ckpt_filename, self.file_client_args,
            save_optimizer=self.save_optimizer, save_param_scheduler=self.save_param_scheduler,
            meta=meta, by_epoch=self.by_epoch, backend_args=self.backend_args, **self.args)
        if not is_main_process():
            return
        atomic_write_bytes(str(self.last_ckpt).encode(),
                           osp.join(runner.work_dir, 'last_checkpoint'))
        if outdated is not None and outdated != step:
            old = self.file_backend.join_path(self.out_dir, self.filename_tmpl.format(outdated))
            if self.file_backend.isfile(old):
                self.file_backend.remove(old)
            elif self.file_backend.isdir(old):
                self.file_backend.rmtree(old)

    def _save_best_checkpoint(self, runner, metrics) -> None:
        """mmengine's best-checkpoint logic with its deletions deferred until the new best
        checkpoint is written."""
        deferred = []
        remove, rmtree = self.file_backend.remove, self.file_backend.rmtree
        self.file_backend.remove = lambda path: deferred.append((remove, path))
        self.file_backend.rmtree = lambda path: deferred.append((rmtree, path))
        try:
            super()._save_best_checkpoint(runner, metrics)
        finally:
            del self.file_backend.remove, self.file_backend.rmtree  # the class's own again
        keep = {getattr(self, 'best_ckpt_path', None),
                *getattr(self, 'best_ckpt_path_dict', {}).values()}
        for fn, path in deferred:
            if path not in keep:
                fn(path)
