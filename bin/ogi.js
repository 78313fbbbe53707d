#!/usr/bin/env node
// The command runs the TypeScript sources through tsx, so `npx ogi` works right after `npm ci`
// with no build step.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
