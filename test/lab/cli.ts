// `npm run lab:up|lab:down|lab:status` (and `node --import tsx test/lab/cli.ts reset`).
import { closeGateway } from './etcd-gateway.js';
import { labDown, labReset, labUp } from './lab.js';
import { statusReport } from './status.js';
import { envFile } from './s3.js';
import { inventoryPath } from './topology.js';
import { quietSdkWarning } from './quiet.js';

const log = (line: string): void => console.log(line);

quietSdkWarning();

/** Runs one lab command; returns the process exit code. */
async function main(cmd: string | undefined): Promise<number> {
  switch (cmd) {
    case 'up': {
      const t0 = Date.now();
      await labUp({ fresh: process.argv.includes('--fresh'), detach: true, log });
      log(`lab up in ${((Date.now() - t0) / 1000).toFixed(1)} s\ninventory: ${inventoryPath}\nS3 env:    source ${envFile}`);
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
      console.error('usage: test/lab/cli.ts up [--fresh] | down | status | reset');
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
