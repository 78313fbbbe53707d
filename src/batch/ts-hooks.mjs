// Module hooks that let the batch workers (pool.ts) load the TypeScript sources. tsx registers its
// hooks only on the main thread on Node 20 (module.register does not reach a worker's loader there),
// so each worker is started with `--experimental-loader` on this file, which compiles `.ts`/`.mts`
// files with esbuild (the compiler tsx itself uses) and leaves everything else to Node.
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
