// Raised by the expression lexer and parser; callers turn it into a located problem or an ExprError.
/** A lexing or parsing problem at an offset of the expression. */
export class SyntaxProblem extends Error {
  constructor(
    message: string,
    readonly index?: number,
    readonly hint?: string,
  ) {
    super(message);
  }
}
