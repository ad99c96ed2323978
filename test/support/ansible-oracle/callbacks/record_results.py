# An ansible-playbook callback for tsplay's comparison tests: one JSON line per task result on a host (the playbook's
# file name, the task's name, the host, its status, and what a debug task showed, per loop item too), appended to
# the file named by TSPLAY_RECORD. meta tasks and includes are left out (they report no host result in tsplay).
import json
import os

from ansible.plugins.callback import CallbackBase

DOCUMENTATION = '''
    name: record_results
    type: aggregate
    short_description: records task results as JSON lines for tsplay's tests
    description: records task results as JSON lines for tsplay's tests
'''

RUN_KEYS = {'changed', 'failed', 'skipped', 'skip_reason', 'false_condition', 'ansible_loop_var', 'ansible_index_var',
            'ansible_loop', '_ansible_no_log', '_ansible_verbose_always', '_ansible_item_label', '_ansible_item_result',
            '_ansible_ignore_errors', 'ansible_facts', '_ansible_delegated_vars', 'item', 'invocation', 'results', 'msg'}


def shown(result, loop_var):
    """What a debug task showed: its msg, or the value of its var (item results alike)."""
    if result.get('skipped'):
        return None
    if 'censored' in result:
        return 'censored'
    if 'msg' in result:
        return result['msg']
    rest = {k: v for k, v in result.items() if k not in RUN_KEYS and not k.startswith('_') and k != loop_var}
    return rest


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = 'aggregate'
    CALLBACK_NAME = 'record_results'
    CALLBACK_NEEDS_ENABLED = True

    def __init__(self):
        super().__init__()
        self.playbook = ''

    def v2_playbook_on_start(self, playbook):
        self.playbook = os.path.basename(playbook._file_name)

    def record(self, result, status):
        task = result._task
        action = (task.resolved_action or task.action or '').split('.')[-1]
        if action in ('meta', 'include', 'include_tasks', 'include_role'):
            return  # tsplay reports no result of its own for these (an include shows as its tasks)
        r = result._result
        if status == 'ok' and r.get('changed'):
            status = 'changed'
        entry = {'playbook': self.playbook, 'task': task.get_name(), 'host': result._host.get_name(), 'status': status, 'module': action}
        if action == 'debug':
            loop_var = r.get('ansible_loop_var', 'item')
            if isinstance(r.get('results'), list):
                entry['items'] = [{'item': x.get(x.get('ansible_loop_var', 'item')), 'shown': shown(x, x.get('ansible_loop_var', 'item'))} for x in r['results']]
            else:
                entry['shown'] = None if status == 'skipped' else shown(r, loop_var)
        elif isinstance(r.get('results'), list):
            entry['items'] = [{'item': x.get(x.get('ansible_loop_var', 'item'))} for x in r['results']]
        if action in ('add_host', 'group_by'):
            # what the task asked of the inventory (per loop item too)
            parts = r['results'] if isinstance(r.get('results'), list) else [r]
            entry['planned'] = [{k: x[k] for k in ('add_host', 'add_group', 'parent_groups') if k in x} for x in parts]
        with open(os.environ['TSPLAY_RECORD'], 'a') as f:
            f.write(json.dumps(entry, default=repr) + '\n')

    def v2_runner_on_ok(self, result):
        self.record(result, 'ok')

    def v2_runner_on_failed(self, result, ignore_errors=False):
        self.record(result, 'ignored' if ignore_errors else 'failed')

    def v2_runner_on_skipped(self, result):
        self.record(result, 'skipped')

    def v2_runner_on_unreachable(self, result):
        self.record(result, 'unreachable')
