#!/usr/bin/env node
// Runs the TypeScript CLI directly through tsx, so there is no build step
// between a fresh clone and `npx yearly-report`.
require('tsx/cjs');
require('./main.ts');
