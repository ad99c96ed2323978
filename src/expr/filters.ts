// Every filter of the expression language (`value | name(args)`), a whitelist of pure functions: text, collection
// and data filters, named as Ansible and Jinja name them.
import type { CallableDef } from './callable.js';
import { DATA_FILTERS } from './filters-data.js';
import { RANDOM_FILTER } from './filter-random.js';
import { LIST_FILTERS } from './filters-lists.js';
import { TEXT_FILTERS } from './filters-text.js';

/** Every filter, by name (`d` is `default`). */
export const FILTERS: Readonly<Record<string, CallableDef>> = {
  ...TEXT_FILTERS,
  ...LIST_FILTERS,
  ...DATA_FILTERS,
  d: DATA_FILTERS['default'] as CallableDef,
  random: RANDOM_FILTER,
};
