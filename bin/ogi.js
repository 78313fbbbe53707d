#!/usr/bin/env -S node --single-threaded
// --single-threaded: V8 does its garbage collection and optimising compilation on each thread
// instead of on shared helper threads. With one worker per core (ogi audit's default) those helpers
// only steal time from the workers: measured 10–30 % more documents a second on 2 cores.
// The command runs the TypeScript sources directly, so `npx ogi` works right after `npm ci` with no
// build step: the loader hooks in ts-hooks.mjs compile our `.ts` files with esbuild and leave every
// other module to Node. (tsx would also do, but it transforms node_modules as well: pdf.js alone
// then takes 400 MB more memory and a second more to load.)
import { register } from 'node:module';

register('../src/batch/ts-hooks.mjs', import.meta.url);
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
