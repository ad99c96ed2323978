// Handlebars templates in playbook strings: checking, rendering, lazily rendered variable scopes.
export { TemplateError } from '../errors/template-error.js';
export type { TemplateWhere } from '../errors/template-error.js';
export { checkTemplate, isTemplate, renderString, renderValue, withoutOmitted } from './render.js';
export { makeScope } from './scope.js';
export { quoteShellWords } from './quote.js';
export { templateVariables } from './variables.js';
import './conditions.js';
