/** Drops the AWS SDK's "Node 20 support ends in 2027" warning (printed on every run); other warnings still print. */
export function quietSdkWarning(): void {
  process.removeAllListeners('warning');
  process.on('warning', (w) => {
    if (!w.message.startsWith('NodeVersionSupportWarning')) console.warn(`${w.name}: ${w.message}`);
  });
}
