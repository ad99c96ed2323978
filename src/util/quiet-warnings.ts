/** Drops the AWS SDK's "Node 20 support ends in 2027" notice (printed on every run); every other warning still prints. */
export function quietSdkWarning(): void {
  process.removeAllListeners('warning');
  process.on('warning', (w) => {
    if (w.name !== 'NodeVersionSupportWarning' && !w.message.startsWith('NodeVersionSupportWarning'))
      process.stderr.write(`${w.name}: ${w.message}\n`);
  });
}
