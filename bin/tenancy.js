#!/usr/bin/env node
'use strict';
// The `tenancy` CLI: the compiled build when present, else the TypeScript sources through ts-node.
const fs = require('fs');
const path = require('path');

const compiled = path.join(__dirname, '..', 'lib', 'src', 'cli', 'main.js');
let cli;
if (fs.existsSync(compiled)) {
  cli = require(compiled);
} else {
  require('ts-node').register({ transpileOnly: true, project: path.join(__dirname, '..', 'tsconfig.json') });
  cli = require(path.join(__dirname, '..', 'src', 'cli', 'main.ts'));
}
Promise.resolve(cli.main(process.argv.slice(2))).then((code) => {
  process.exitCode = code;
});
