#!/usr/bin/env node
// Entry point: the CLI bundled into dist/bundle by `npm run build` (run by `npm ci` through the prepare script).
import { main } from '../dist/bundle/tsplay.mjs';
process.exitCode = await main(process.argv.slice(2));
