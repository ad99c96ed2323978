// Registers the template engine for conditions with {{ }} or {% %} inside (src/expr/templated.ts): ansible-core
// renders such a condition first, then evaluates the text.
import { registerConditionTemplating } from '../expr/templated.js';
import { ValueProblem } from '../errors/value-problem.js';
import { TemplateError } from '../errors/template-error.js';
import { checkTemplate, renderValue } from './render.js';
import { templateVariables } from './variables.js';

registerConditionTemplating({
  render(template, vars) {
    try {
      return renderValue(template, vars, {});
    } catch (e) {
      if (e instanceof TemplateError) throw new ValueProblem(e.message);
      throw e;
    }
  },
  names: (template) => templateVariables(template),
  check: (template) => checkTemplate(template, {}).map((p) => ({ message: p.message, hint: p.hint })),
});
