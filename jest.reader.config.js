/**
 * The tests that pin the reader (loading files, identities and last-wins, lists, unknown fields, the CLI's
 * warnings, the layout of the files an app writes): what `npm run mutation:reader` runs for each mutant (the whole
 * suite would take hours). Transpile only: Stryker disables type checks in mutated files anyway.
 * @type {import('jest').Config}
 */
module.exports = {
  ...require('./jest.config.js'),
  testMatch: [
    '**/test/analysis/reader*.test.ts',
    '**/test/analysis/load.test.ts',
    '**/test/cli/*.test.ts',
    '**/test/guard-reader.test.ts',
  ],
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json', isolatedModules: true }],
  },
};
