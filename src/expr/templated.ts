// A condition with {{ }} or {% %} inside a longer expression (`"{{ x }} == 'a'"`): ansible-core renders it as a
// template first and evaluates the text it gives. The template engine (src/template) registers itself here, so
// the expression language does not import it.

/** What the template engine provides for templated conditions. */
export interface ConditionTemplating {
  /** Renders the condition as ansible-core's Templar does: the raw value of a single expression, else the text. */
  render(template: string, vars: Record<string, unknown>): unknown;
  /** Names the template reads on every rendering (for the undefined-variable check). */
  names(template: string): string[];
  /** Problems of the template itself (syntax, unknown filters), as messages with hints. */
  check(template: string): Array<{ message: string; hint?: string | undefined }>;
}

let engine: ConditionTemplating | undefined;

/** Called once by the template engine when it loads. */
export function registerConditionTemplating(t: ConditionTemplating): void {
  engine = t;
}

/** The template engine, or an error when nothing registered it (the expression language used without templates). */
export function conditionTemplating(): ConditionTemplating {
  if (!engine) throw new Error('internal: a templated condition needs the template engine (import src/template)');
  return engine;
}

/** True when parseExpression can check templated conditions (the template engine is loaded). */
export function hasConditionTemplating(): boolean {
  return engine !== undefined;
}
