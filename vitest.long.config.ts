import { kilnTestConfig } from './vitest.config.ts';

/** `npm run test:long`: the valgrind sweeps, the pass sweep and the target matrix (see LONG_TESTS in vitest.config.ts). */
export default kilnTestConfig('long');
