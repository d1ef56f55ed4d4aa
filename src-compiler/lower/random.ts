/**
 * The library function that seeds compiled code's module-level random generator (types/ops/random.ts): a unit
 * whose ops draw from it exports `kiln_random_seed(seed)`, the C form of `random.seed(seed)` for an int seed.
 * Verification calls it before each case with the seed the CPython side gives random.seed() (run/harness.ts,
 * resources/python/kiln_reference.py), so a function that draws without seeding is compared on the same stream.
 */
/** The seed both sides of a verification give the module-level generator before each call. */
export const VERIFY_RANDOM_SEED = 0;
export const RANDOM_SEED_SYMBOL = 'kiln_random_seed';

export const randomSeedDeclaration = (): string[] => [
  '/* random.seed(seed) on the module-level generator of this library\'s compiled code (its own, not the interpreter\'s). */',
  `void ${RANDOM_SEED_SYMBOL}(int64_t seed);`,
];
export const randomSeedDefinition = (): string[] => [
  `KILN_EXPORT void ${RANDOM_SEED_SYMBOL}(int64_t seed) { kr_random_seed_i64(&kr_random_module, seed); kr_random_module_ready = 1; }`,
];
