import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseArgs } from 'node:util';
import { errorExit } from '../../../src/cli/error-exit.js';
import { EXIT } from '../../../src/engine/run.js';
import { LockedError } from '../../../src/errors/locked-error.js';
import { StoreError } from '../../../src/errors/store-error.js';
import { UsageError } from '../../../src/errors/usage-error.js';

test('usage and store errors: one line naming the subcommand, exit 5', () => {
  assert.deepEqual(errorExit(new UsageError('expected one JOURNAL file'), 'report'), {
    message: 'tsplay report: expected one JOURNAL file\n',
    code: EXIT.invalid,
  });
  assert.deepEqual(errorExit(new StoreError('no-bucket', 'bucket "b" does not exist at http://x'), 'backups'), {
    message: 'tsplay backups: bucket "b" does not exist at http://x\n',
    code: EXIT.invalid,
  });
});

test('a held lock: one line, exit 5', () => {
  assert.deepEqual(errorExit(new LockedError('the inventory is locked by another run', undefined), 'run'), {
    message: 'tsplay: the inventory is locked by another run\n',
    code: EXIT.invalid,
  });
});

test('a bad option from parseArgs: points at --help, exit 5', () => {
  let err: unknown;
  try {
    parseArgs({ args: ['--nope'], options: {}, strict: true });
  } catch (e) {
    err = e;
  }
  const x = errorExit(err, 'run');
  assert.equal(x.code, EXIT.invalid);
  assert.match(x.message, /^tsplay: .*--nope.* \(see tsplay --help\)\n$/);
});

test('anything else is an internal error with its stack', () => {
  const x = errorExit(new RangeError('boom'), 'run');
  assert.equal(x.code, EXIT.internal);
  assert.match(x.message, /^tsplay: internal error: RangeError: boom\n\s+at /);
});
