#!/usr/bin/env node
// The command runs the TypeScript sources directly, so `npx ogi` works right after `npm ci` with no
// build step: the loader hooks in ts-hooks.mjs compile our `.ts` files with esbuild and leave every
// other module to Node. (tsx would also do, but it transforms node_modules as well: pdf.js alone
// then takes 400 MB more memory and a second more to load.)
import { register } from 'node:module';

register('../src/batch/ts-hooks.mjs', import.meta.url);
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
