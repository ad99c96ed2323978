import type { Play } from '../playbook/model.js';
import { renderString } from '../template/index.js';

/** A play's name with templates rendered from its defaults files, play vars, vars files and extra vars (the raw name if that fails). */
export function playTitle(play: Play, varsFiles: Map<string, Record<string, unknown>>, extraVars: Record<string, unknown>): string {
  if (!play.name.includes('{{')) return play.name;
  try {
    const files = (list: string[]) => Object.assign({}, ...list.map((f) => varsFiles.get(f) ?? {})) as Record<string, unknown>;
    return renderString(
      play.name,
      { ...files(play.defaultsFiles), ...(play.keywords.vars ?? {}), ...files(play.varsFiles), ...extraVars },
      { loc: play.loc, field: 'name' },
    );
  } catch {
    return play.name;
  }
}
