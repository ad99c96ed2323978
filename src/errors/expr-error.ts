/** Thrown when evaluating a condition fails; the message names the variable or value and quotes the expression. */
export class ExprError extends Error {
  /** The undefined variable, when that is the cause. */
  readonly variable?: string;
  constructor(message: string, variable?: string) {
    super(message);
    this.name = 'ExprError';
    if (variable !== undefined) this.variable = variable;
  }
}
