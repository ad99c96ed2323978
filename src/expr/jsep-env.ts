// Runs jsep with our own configuration and restores jsep's global state afterwards.
// jsep keeps its operators, literals and hooks as static (process-wide) fields; we swap them in
// for the duration of one synchronous parse so that other users of jsep are unaffected.
import jsep from 'jsep';

/** The parser state jsep exposes to hooks (the `this` of a hook callback). */
export type JsepParser = jsep.HookScope;

interface JsepStatics {
  new (expr: string): JsepParser;
  hooks: Record<string, unknown>;
  binary_ops: Record<string, number>;
  unary_ops: Record<string, unknown>;
  max_binop_len: number;
  max_unop_len: number;
  literals: Record<string, unknown>;
  this_str: string;
  right_associative: Set<string>;
  additional_identifier_chars: Set<string>;
}

const STATE_KEYS = [
  'hooks',
  'binary_ops',
  'unary_ops',
  'max_binop_len',
  'max_unop_len',
  'literals',
  'this_str',
  'right_associative',
  'additional_identifier_chars',
] as const;

function jsepClass(): JsepStatics {
  const cls: unknown = (jsep as unknown as { Jsep?: unknown }).Jsep;
  if (typeof cls !== 'function' || !('binary_ops' in cls) || !('hooks' in cls)) {
    throw new Error('unsupported jsep version: the Jsep class is not exported');
  }
  return cls as JsepStatics;
}

/** Literal names of the condition language. */
const LITERALS = { true: true, false: false, True: true, False: false, none: null, None: null, null: null };

/**
 * Parses `src` with jsep configured for the condition language: no jsep operators at all (our
 * `parseExpression` hook does operator precedence), our literals, `_` as the only extra identifier
 * character, and only our hook. `top` receives the parser and returns the root node.
 */
export function withOurJsep<T>(src: string, hook: (p: JsepParser) => jsep.Expression | undefined, top: (p: JsepParser) => T): T {
  const J = jsepClass();
  const saved = STATE_KEYS.map((k) => J[k]);
  const ourHooks: Record<string, unknown> = Object.create(Object.getPrototypeOf(J.hooks) as object);
  ourHooks['gobble-expression'] = [
    function (this: JsepParser, env: { node?: jsep.Expression }): void {
      const node = hook(this);
      if (node) env.node = node;
    },
  ];
  Object.assign(J, {
    hooks: ourHooks,
    binary_ops: {},
    unary_ops: {},
    max_binop_len: 0,
    max_unop_len: 0,
    literals: { ...LITERALS },
    this_str: '\u0000no-this',
    right_associative: new Set<string>(),
    additional_identifier_chars: new Set(['_']),
  });
  try {
    return top(new J(src));
  } finally {
    STATE_KEYS.forEach((k, i) => Object.assign(J, { [k]: saved[i] }));
  }
}
