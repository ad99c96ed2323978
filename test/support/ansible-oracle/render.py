# Renders templates with ansible-core's Templar, the engine ansible-playbook templates every task argument with,
# for tsplay's comparison tests. Reads [{"vars": {...}, "templates": ["...", ...]}, ...] on stdin and writes, per
# batch, [{"failed": bool, "msg": value or error text}, ...] as JSON on stdout. Each template is rendered on its
# own, so one failing template does not hide the others.
import json
import sys

from ansible.module_utils.common.text.converters import to_text
from ansible.parsing.dataloader import DataLoader
from ansible.template import Templar


def main():
    batches = json.load(sys.stdin)
    loader = DataLoader()
    out = []
    for batch in batches:
        templar = Templar(loader=loader, variables=batch['vars'])
        results = []
        for template in batch['templates']:
            try:
                results.append({'failed': False, 'msg': templar.template(template)})
            except Exception as e:  # the test records that Ansible refused it, and why
                results.append({'failed': True, 'msg': to_text(e)})
        out.append(results)
    json.dump(out, sys.stdout, default=repr)


if __name__ == '__main__':
    main()
