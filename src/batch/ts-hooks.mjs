// Module hooks that load the TypeScript sources: `.ts`/`.mts` files compiled with esbuild (the
// compiler tsx itself uses), everything else left to Node untouched. bin/ogi.js registers them with
// module.register; the batch workers (pool.ts) are started with `--experimental-loader` on this file,
// because on Node 20 a hook registered on the main thread does not reach a worker's loader.
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { transform } from 'esbuild';

export async function load(url, context, nextLoad) {
  if (url.startsWith('file:') && /\.m?ts$/.test(new URL(url).pathname)) {
    const path = fileURLToPath(url);
    const { code } = await transform(await readFile(path, 'utf8'), {
      loader: 'ts',
      format: 'esm',
      target: 'node20',
      sourcefile: path,
      sourcemap: 'inline',
      // as tsconfig.json compiles them (tsx reads it on the main thread)
      tsconfigRaw: { compilerOptions: { verbatimModuleSyntax: true, useDefineForClassFields: true } },
    });
    return { format: 'module', source: code, shortCircuit: true };
  }
  return nextLoad(url, context);
}
