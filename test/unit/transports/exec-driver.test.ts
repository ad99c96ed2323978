// exec-driver: an input stream that fails before or while the command runs must never reach the host as an EOF.
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { test } from 'node:test';
import { drive } from '../../../src/transports/exec-driver.js';
import { newMarkers } from '../../../src/transports/markers.js';
import type { ExitStatus, RunningCommand } from '../../../src/transports/running-command.js';

/** A command that reports pid 4242, records whether its stdin got EOF, and ends when killed or abandoned. */
function fakeCommand(markers: ReturnType<typeof newMarkers>) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const stdin = new PassThrough();
  let eof = false;
  stdin.on('end', () => (eof = true));
  stdin.resume();
  let end: (s: ExitStatus) => void = () => undefined;
  const done = new Promise<ExitStatus>((r) => (end = r));
  const finish = (s: ExitStatus): void => {
    stdout.end();
    stderr.end();
    end(s);
  };
  setImmediate(() => stderr.write(`${markers.ready}4242]\n`));
  const cmd: RunningCommand = { stdout, stderr, stdin, done, abandon: () => finish({ code: null, signal: 'SIGKILL' }) };
  return { cmd, eof: () => eof, finish };
}

for (const when of ['before the command starts', 'while it runs'] as const) {
  test(`an input stream that fails ${when}: the command is killed, its stdin never ends, the error is thrown`, async () => {
    const markers = newMarkers();
    const f = fakeCommand(markers);
    const input = new PassThrough();
    input.on('error', () => undefined); // as in a pipeline, someone else listens too
    if (when === 'before the command starts') input.destroy(new Error('SHA-256 mismatch'));
    else setTimeout(() => input.destroy(new Error('SHA-256 mismatch')), 20);
    const killed: number[] = [];
    const started = Date.now();
    await assert.rejects(
      drive(f.cmd, {
        host: 'h',
        markers,
        stdin: input,
        killTree: async (pid) => {
          killed.push(pid);
          f.finish({ code: null, signal: 'SIGKILL' });
        },
      }),
      /SHA-256 mismatch/,
    );
    assert.deepEqual(killed, [4242]);
    assert.equal(f.eof(), false, 'the host saw no EOF (it would have committed a partial file)');
    assert.ok(Date.now() - started < 2000, 'no hang');
  });
}

test('an input stream closed before its end (no error) is treated the same', async () => {
  const markers = newMarkers();
  const f = fakeCommand(markers);
  const input = new PassThrough();
  input.destroy();
  await assert.rejects(
    drive(f.cmd, { host: 'h', markers, stdin: input, killTree: async () => f.finish({ code: null, signal: 'SIGKILL' }) }),
    /closed before its end/,
  );
  assert.equal(f.eof(), false);
});

test('a healthy input stream is forwarded to its end', async () => {
  const markers = newMarkers();
  const f = fakeCommand(markers);
  const input = new PassThrough();
  input.end('data');
  const r = drive(f.cmd, { host: 'h', markers, stdin: input });
  await new Promise((res) => setTimeout(res, 20));
  assert.equal(f.eof(), true);
  f.finish({ code: 0, signal: null });
  assert.equal((await r).code, 0);
});
