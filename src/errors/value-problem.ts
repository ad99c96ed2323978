// Raised inside expressions and templates; the renderer turns it into an ExprError or TemplateError with its location.
/** A user-facing problem with a value (wrong type, bad regex...); callers add where it happened. */
export class ValueProblem extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ValueProblem';
  }
}
