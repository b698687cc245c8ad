/**
 * The jest run of `stryker.engine.config.json` (mutation testing of the engine, selectors, ports and tiers): only
 * the analyzer's and the CLI's tests, transpiled without type checking, smallest files first and the property tests
 * last (so a mutant a quick test kills stops there), with fewer random cases in the property tests
 * (`TENANCY_FC_SCALE`), since every surviving mutant runs every test that covers it.
 */
const base = require('./jest.config.js');

process.env.TENANCY_FC_SCALE = process.env.TENANCY_FC_SCALE ?? '0.05';

/** @type {import('jest').Config} */
module.exports = {
  ...base,
  testMatch: ['<rootDir>/test/analysis/**/*.test.ts', '<rootDir>/test/cli/**/*.test.ts'],
  testSequencer: '<rootDir>/test/support/fast-first-sequencer.js',
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json', isolatedModules: true }],
  },
};
