// `npm run lab:up [-- --fresh] [-- --shape NAME]|lab:down|lab:status` (and `node --import tsx test/lab/cli.ts reset`).
// The lab modules read TSPLAY_LAB / TSPLAY_LAB_SHAPE once, when they load: --shape is applied before they are imported.
const log = (line: string): void => console.log(line);

const shapeAt = process.argv.indexOf('--shape');
if (shapeAt > 0) process.env['TSPLAY_LAB_SHAPE'] = process.argv[shapeAt + 1] ?? '';

const { closeGateway } = await import('./etcd-gateway.js');
const { labDown, labReset, labUp } = await import('./lab.js');
const { statusReport } = await import('./status.js');
const { envFile } = await import('./s3.js');
const { inventoryPath, shape } = await import('./topology.js');
const { quietSdkWarning } = await import('./quiet.js');

quietSdkWarning();

/** Runs one lab command; returns the process exit code. */
async function main(cmd: string | undefined): Promise<number> {
  switch (cmd) {
    case 'up': {
      const t0 = Date.now();
      await labUp({ fresh: process.argv.includes('--fresh'), detach: true, log });
      log(
        `lab up in ${((Date.now() - t0) / 1000).toFixed(1)} s (shape ${shape.name}: ${shape.description})\ninventory: ${inventoryPath}\nS3 env:    source ${envFile}`,
      );
      log((await statusReport()).text);
      return 0;
    }
    case 'down':
      await labDown();
      log('lab down: no lab process left, no lab port listening');
      return 0;
    case 'reset':
      await labReset();
      log('lab reset to seed data');
      return 0;
    case 'status': {
      const r = await statusReport();
      log(r.text);
      return r.ok ? 0 : 1;
    }
    default:
      console.error('usage: test/lab/cli.ts up [--fresh] [--shape uniform|dce|kubeadm] | down | status | reset');
      return 2;
  }
}

try {
  process.exitCode = await main(process.argv[2]);
} catch (e) {
  console.error(`lab ${process.argv[2] ?? ''}: ${(e as Error).message}`);
  process.exitCode = 1;
} finally {
  closeGateway();
}
// The hosts' namespace holders keep pipes to this process open; the lab lives on without us.
process.exit();
