/** The CLI's usage text. */
export const USAGE = `tsplay: Ansible-like playbooks for control-plane disaster recovery

Usage:
  tsplay run PLAYBOOK -i INVENTORY [options]
  tsplay validate PLAYBOOK -i INVENTORY [options]   (checks everything, contacts no host)
  tsplay resume JOURNAL [-e VARS] [--yes] [-o MODE] (continue an interrupted run after its last completed task)
  tsplay report JOURNAL [--html FILE] [--md FILE]  (a run record for the change ticket: HTML page and Markdown)
  tsplay backups list [--bucket B] [--prefix P] [-o table|json] [--endpoint URL] [--region R]
                                                    (etcdbrctl snapshots in the object store; credentials from ECS_*/AWS_*)
  tsplay inventory list|graph [GROUP] -i SRC... [--json] [--show-secrets]   (the resolved inventory)
  tsplay inventory show HOST -i SRC...            (a host's groups and variables)
  tsplay inventory add-host HOST --group G [--var k=v]... [--create] -i FILE [--dry-run]
  tsplay inventory remove-host HOST [--group G] | add-group G [--parent P] [--create]
  tsplay inventory set-var (--host H | --group G) k=v... | unset-var (--host H | --group G) k...
                                                  (edits keep comments and layout; the result is validated first)
  tsplay --version | --help

Options:
  -i, --inventory SRC       inventory file, directory, or "host1,host2," (repeatable)
  -l, --limit PATTERN       only hosts matching the pattern (a:b, !x, &x, ~regex)
  -e, --extra-vars VARS     k=v pairs, a JSON/YAML mapping, or @file (repeatable, later wins)
  -C, --check               change nothing: mutating tasks report what they would run
  -D, --diff                file modules (lineinfile, replace, blockinfile, copy...) show what they change
  -f, --forks N             hosts worked on at once (default 300)
  -t, --tags T1,T2          only tasks with these tags;  --skip-tags T1,T2
  --start-at-task NAME      skip tasks before the one with this name
  --list-hosts, --list-tasks   show what would run, then stop
  -y, --yes                 confirm destructive steps (needed when not on a terminal)
  -o, --output MODE         tty (live view), plain (lines) or json (one event per line); default: tty on a terminal
  -u, --user USER           remote user when the inventory sets none
  --private-key FILE        SSH key when the inventory sets none
  --known-hosts FILE        known_hosts file(s) to verify host keys (default ~/.ssh/known_hosts)
  --accept-new-host-keys    record keys of hosts not yet known (changed keys are always refused)
  -T, --timeout S           SSH connect timeout in seconds (default 10)
  --task-timeout S          default per-task timeout in seconds (0: none)
  -v, -vv, -vvv             more detail (results, live output)
  --journal FILE            where to write the run journal (default .tsplay/runs/<time>-<playbook>.jsonl)
  --no-lock                 do not take the inventory lock (controller) and host locks
  --deadline TIME           start no task after TIME (ISO 8601, or HH:MM: the next time the clock shows it,
                            tomorrow when already past); a play with a "duration", or a critical section,
                            that would end after it does not start
  --max-duration D          the same, as a duration from now, with a unit (e.g. 90s, 45m, 2h)

First Ctrl-C (or SIGTERM): no new task starts, running tasks finish, a critical section runs to its end; the
journal says how to resume. Second: running commands are killed; inside a critical section it rolls back
where the section has a rescue, else the section runs on. Third: everything is killed. Fourth: exit at once.
Every run ends by printing where its journal is; \`tsplay report JOURNAL\` turns it into a run record.

Exit codes: 0 ok, 2 a host failed, 4 a host was unreachable, 5 invalid input or usage, 250 internal error.
`;
