/** Runs the `ogi` command as a user would, in a fresh working folder so each run has its own default store. */
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const OGI = fileURLToPath(new URL('../../bin/ogi.js', import.meta.url));

export interface OgiResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function ogi(args: string[], options: { env?: NodeJS.ProcessEnv; cwd?: string; timeoutMs?: number } = {}): Promise<OgiResult> {
  const cwd = options.cwd ?? mkdtempSync(join(tmpdir(), 'ogi-cwd-'));
  return new Promise((resolve) => {
    execFile(process.execPath, [OGI, ...args], { cwd, env: options.env, maxBuffer: 256 << 20, timeout: options.timeoutMs ?? 120_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, stdout, stderr });
    });
  });
}
