import { Ajv } from 'ajv';
import { readFileSync } from 'node:fs';

const schema = JSON.parse(readFileSync(new URL('../../schema/events.schema.json', import.meta.url), 'utf8')) as object;
const validate = new Ajv({ allErrors: true, strict: false, formats: { 'date-time': true } }).compile(schema);

/** Problems of JSON event lines against schema/events.schema.json (empty when all conform). */
export function eventSchemaProblems(events: unknown[]): string[] {
  const out: string[] = [];
  events.forEach((e, i) => {
    if (!validate(e)) out.push(`event ${i} (${(e as { type?: string }).type ?? '?'}): ${JSON.stringify(validate.errors)}`);
  });
  return out;
}
