// `npm run package`: the one file to carry to a machine without registry access (an air-gapped bastion):
// dist/package/tsplay-<version>.tgz, an npm package with NO dependencies (ssh2, the AWS SDK, listr2, yaml, ajv,
// handlebars... are bundled into dist/bundle by esbuild), so `npm install -g ./tsplay-<version>.tgz` needs no
// registry, and `tar xzf` + `node package/bin/tsplay.js` works without npm at all. It holds the playbooks, the
// schemas, the example inventories, README and docs, and the licences of everything bundled.
// Run after `npm run build` (the compiled dist/cli/main.js is the entry point).
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8'));
const out = join(repo, 'dist', 'package');
const stage = join(out, 'tsplay');

if (!existsSync(join(repo, 'dist/cli/main.js'))) {
  console.error('package: dist/cli/main.js is missing; run `npm run build` first (npm run package does)');
  process.exit(1);
}
rmSync(out, { recursive: true, force: true });
mkdirSync(stage, { recursive: true });

// Everything in one bundle, plus chunks loaded on first use (the TTY renderer, the AWS SDK: start-up does not parse
// them). Only ssh2's optional native speed-ups stay out: ssh2 falls back to its pure-JavaScript code without them, as
// it does in a plain install here.
const result = await build({
  absWorkingDir: repo,
  entryPoints: { tsplay: 'dist/cli/main.js' },
  outdir: join(stage, 'dist/bundle'),
  outExtension: { '.js': '.mjs' },
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external: ['cpu-features', '*.node'],
  // bundled CommonJS code may call require() for built-ins and use __dirname / __filename (ssh2 does)
  banner: {
    js: [
      "import { createRequire as __tsplayRequire } from 'node:module';",
      "import { fileURLToPath as __tsplayPath } from 'node:url';",
      'const require = __tsplayRequire(import.meta.url);',
      'const __filename = __tsplayPath(import.meta.url);',
      "const __dirname = __tsplayPath(new URL('.', import.meta.url));",
    ].join(' '),
  },
  plugins: [namedExports(['@aws-sdk/client-s3', '@aws-sdk/lib-storage'])],
  metafile: true,
  legalComments: 'none',
  logLevel: 'warning',
});

for (const f of ['bin', 'schema', 'playbooks', 'docs', 'README.md']) cpSync(join(repo, f), join(stage, f), { recursive: true });
mkdirSync(join(stage, 'inventory'));
for (const f of readdirSync(join(repo, 'inventory'))) {
  if (f !== 'lab.yaml' && statSync(join(repo, 'inventory', f)).isFile()) cpSync(join(repo, 'inventory', f), join(stage, 'inventory', f));
}
writeFileSync(join(stage, 'THIRD-PARTY-LICENSES.txt'), thirdPartyLicenses(result.metafile));
writeFileSync(
  join(stage, 'package.json'),
  `${JSON.stringify(
    {
      name: pkg.name,
      version: pkg.version,
      description: pkg.description,
      type: 'module',
      license: pkg.license,
      engines: pkg.engines,
      bin: pkg.bin,
      files: ['bin', 'dist', 'schema', 'playbooks', 'inventory', 'docs', 'THIRD-PARTY-LICENSES.txt'],
    },
    null,
    2,
  )}\n`,
);

const packed = execFileSync('npm', ['pack', '--silent', '--pack-destination', out], {
  cwd: stage,
  encoding: 'utf8',
  env: { ...process.env, npm_config_ignore_scripts: 'true' },
})
  .trim()
  .split('\n')
  .pop();
const file = join(out, packed ?? '');
const bytes = readFileSync(file);
console.log(
  `${relative(process.cwd(), file)}  ${(bytes.length / 1024 / 1024).toFixed(1)} MiB  sha256 ${createHash('sha256').update(bytes).digest('hex')}`,
);
console.log(`on the target (Node.js >= 20):  npm install -g ./${packed}   (or: tar xzf ${packed} && node package/bin/tsplay.js --version)`);

/**
 * esbuild hands a dynamic import() of a split-off CommonJS package only `default` (no named exports, unlike Node's
 * own loader): put an ES module in front of each such package that re-exports its names, read here at build time.
 */
function namedExports(packages) {
  const requireHere = createRequire(join(repo, 'package.json'));
  return {
    name: 'cjs-named-exports',
    setup(b) {
      const filter = new RegExp(`^(${packages.map((p) => p.replace(/[/.-]/g, '\\$&')).join('|')})$`);
      b.onResolve({ filter }, (args) => (args.pluginData === 'real' ? undefined : { path: args.path, namespace: 'cjs-named-exports' }));
      b.onLoad({ filter: /.*/, namespace: 'cjs-named-exports' }, (args) => {
        const names = Object.keys(requireHere(args.path)).filter((n) => n !== 'default' && /^[A-Za-z_$][\w$]*$/.test(n));
        return {
          contents: `import m from ${JSON.stringify(args.path)};\nexport default m;\nexport const { ${names.join(', ')} } = m;\n`,
          resolveDir: repo,
          pluginData: 'real',
        };
      });
    },
  };
}

/** The licence texts of every npm package that ended up in the bundle, one section per package. */
function thirdPartyLicenses(metafile) {
  const dirs = new Set();
  for (const input of Object.keys(metafile.inputs)) {
    const m = /^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(input);
    if (m?.[1]) dirs.add(m[1]);
  }
  const sections = [...dirs].sort().map((d) => {
    const meta = JSON.parse(readFileSync(join(repo, d, 'package.json'), 'utf8'));
    const file = readdirSync(join(repo, d)).find((f) => /^(licen[cs]e|copying)(\.|$)/i.test(f));
    const text = file
      ? readFileSync(join(repo, d, file), 'utf8').trim()
      : `(no licence file; package.json says: ${meta.license ?? 'unknown'})`;
    return `${meta.name}@${meta.version} (${meta.license ?? meta.licenses?.[0]?.type ?? 'unknown'})\n\n${text}\n`;
  });
  return `tsplay bundles the following packages into dist/bundle/.\n\n${sections.join(`\n${'-'.repeat(78)}\n\n`)}`;
}
