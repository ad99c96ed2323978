# A stdout callback for ansible-playbook that prints one JSON line per task result (task name as Ansible shows it,
# action, host, status, debug msg), so tests can compare what Ansible did with what tsplay does.
from __future__ import annotations

import json

from ansible.plugins.callback import CallbackBase

DOCUMENTATION = '''
    name: tsplay_results
    type: stdout
    short_description: one JSON line per task result
    description: one JSON line per task result, for tsplay's comparison tests
'''


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = 'stdout'
    CALLBACK_NAME = 'tsplay_results'

    def _emit(self, result, status):
        r = result._result
        task = result._task
        line = {
            # named as --list-tasks names it: `role : name` for a named task of a role, the action when unnamed
            'task': task.get_name() if task.name else task.action,
            'action': task.action,
            'host': result._host.get_name(),
            'status': 'changed' if status == 'ok' and r.get('changed') else status,
        }
        if 'msg' in r and result._task.action in ('debug', 'ansible.builtin.debug'):
            line['msg'] = r['msg']
        self._display.display('TSPLAY ' + json.dumps(line, sort_keys=True, default=str))

    def v2_playbook_on_start(self, playbook):
        self._display.display('TSPLAY ' + json.dumps({'playbook': playbook._file_name}))

    def v2_runner_on_ok(self, result):
        self._emit(result, 'ok')

    def v2_runner_on_failed(self, result, ignore_errors=False):
        self._emit(result, 'ignored' if ignore_errors else 'failed')

    def v2_runner_on_skipped(self, result):
        self._emit(result, 'skipped')

    def v2_runner_on_unreachable(self, result):
        self._emit(result, 'unreachable')

    def v2_runner_item_on_ok(self, result):
        pass

    def v2_runner_item_on_failed(self, result):
        pass

    def v2_runner_item_on_skipped(self, result):
        pass
