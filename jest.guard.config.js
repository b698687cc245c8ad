/**
 * The tests that pin the tenancy check, the guard (and the reader it reads the app's objects through) and the
 * symbolic evaluator: what `npm run mutation:guard` runs for each mutant (the whole suite would take hours).
 * Transpile only: Stryker disables type checks in mutated files anyway.
 * @type {import('jest').Config}
 */
module.exports = {
  ...require('./jest.config.js'),
  testMatch: [
    '**/test/analysis/check*.test.ts',
    '**/test/analysis/symbolic/*.test.ts',
    '**/test/analysis/exposure.test.ts',
    '**/test/guard.test.ts',
    '**/test/guard-reader.test.ts',
  ],
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json', isolatedModules: true }],
  },
};
