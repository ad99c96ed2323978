// The lab uses the same filter as the CLI.
export { quietSdkWarning } from '../../src/util/quiet-warnings.js';
