// The variable names an expression reads, for static checks before anything runs.
import type { ExprNode } from './ast.js';
import { FILTERS } from './filters.js';
import { conditionTemplating } from './templated.js';
import { TESTS } from './tests.js';

/** Names an expression reads: `used` on every evaluation, `guarded` only tested or defaulted, `all` of them. */
export interface ExpressionNames {
  /** Read whenever the expression is evaluated (not inside either branch of `A if C else B`). */
  used: Set<string>;
  /** Given to `is defined`, `default`, a type test...: an undefined value is expected there. */
  guarded: Set<string>;
  /** Every variable name that appears. */
  all: Set<string>;
}

/** Walks an expression tree and collects the variable names it reads. */
export function expressionNames(root: ExprNode): ExpressionNames {
  const out: ExpressionNames = { used: new Set(), guarded: new Set(), all: new Set() };
  const walk = (n: ExprNode, guarded: boolean, certain: boolean): void => {
    const sub = (x: ExprNode | undefined, g = false, c = certain): void => {
      if (x) walk(x, g, c);
    };
    switch (n.kind) {
      case 'variable':
        out.all.add(n.name);
        if (guarded) out.guarded.add(n.name);
        else if (certain) out.used.add(n.name);
        return;
      case 'member':
        sub(n.object, guarded);
        if (typeof n.key !== 'string') sub(n.key);
        return;
      case 'slice':
        [n.object, n.start, n.stop, n.step].forEach((x) => sub(x));
        return;
      case 'list':
        n.items.forEach((i) => sub(i));
        return;
      case 'dict':
        n.entries.forEach(([k, v]) => [k, v].forEach((x) => sub(x)));
        return;
      case 'not':
      case 'negate':
        sub(n.arg);
        return;
      case 'logic':
      case 'binary':
        sub(n.left);
        sub(n.right);
        return;
      case 'compare':
        sub(n.first);
        n.rest.forEach(([, x]) => sub(x));
        return;
      case 'cond':
        sub(n.test);
        sub(n.then, false, false);
        sub(n.else, false, false);
        return;
      case 'filter':
      case 'test': {
        const def = n.kind === 'filter' ? FILTERS[n.name] : TESTS[n.name];
        sub(n.input, Boolean(def?.acceptsMissing));
        n.args.forEach((a) => sub(a));
        n.kwargs.forEach(([, a]) => sub(a));
        return;
      }
      case 'method':
        sub(n.object);
        n.args.forEach((a) => sub(a));
        n.kwargs.forEach(([, a]) => sub(a));
        return;
      case 'call':
        n.args.forEach((a) => sub(a));
        n.kwargs.forEach(([, a]) => sub(a));
        return;
      case 'literal':
        return;
      case 'templated':
        // only what the template reads is known before it renders; the names of the text it gives are not
        for (const name of conditionTemplating().names(n.template)) {
          out.all.add(name);
          if (certain && !guarded) out.used.add(name);
        }
        return;
    }
  };
  walk(root, false, true);
  return out;
}
