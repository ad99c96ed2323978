// Control flow of template rendering (caught by the renderer and turned into a TemplateError).

/** An undefined variable met while rendering (turned into a TemplateError by the renderer). */
export class UndefinedVariable extends Error {
  constructor(
    readonly variable: string,
    readonly detail?: string,
  ) {
    super(`undefined variable "${variable}"${detail ? ` (${detail})` : ''}`);
  }
}
