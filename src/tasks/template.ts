import { readFile } from 'node:fs/promises';
import { sourcePath } from '../playbook/roles/source-path.js';
import type { TemplateArgs } from '../generated/playbook.js';
import type { ModuleDef } from './module.js';
import { writeFile } from './write-file.js';

/** `template`: renders a Handlebars file from the controller (relative to the playbook) with the host's variables and writes it. */
export const templateModule: ModuleDef<TemplateArgs> = {
  name: 'template',
  remote: true,
  readOnly: false,
  async run(args, ctx) {
    const file = sourcePath(args.src, ctx.dir, ctx.roleDir, 'templates');
    const text = await readFile(file, 'utf8');
    const rendered = ctx.render(text, file);
    return writeFile(ctx, { kind: 'buffer', data: Buffer.from(rendered, 'utf8') }, args, 'template');
  },
};
