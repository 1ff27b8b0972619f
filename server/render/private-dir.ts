// Unsaved editor buffers reach helm and kustomize only through a private copy: a directory of mode 0700
// under the system temp dir, removed as soon as the program returns, whatever happened.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export async function withPrivateDir<T>(use: (dir: string) => Promise<T>): Promise<T> {
  // mkdtemp creates the directory with mode 0700.
  const dir = await mkdtemp(join(tmpdir(), 'fintech-k8s-'));
  try {
    return await use(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
