import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * The local portal's address, kept in the state folder: `token create --local`
 * prints whole clerk links with it, and the next `serve` takes the same port
 * when it is free, so the links it printed keep working.
 */
const FILE = 'portal-url.txt';

export function rememberPortalUrl(stateDir: string, url: string): void {
  writeFileSync(path.join(stateDir, FILE), `${url}\n`);
}

export function rememberedPortalUrl(stateDir: string): string | undefined {
  try {
    const url = readFileSync(path.join(stateDir, FILE), 'utf8').trim();
    return /^http:\/\/127\.0\.0\.1:\d+$/.test(url) ? url : undefined;
  } catch {
    return undefined;
  }
}

/** Starts on `port` if given; else on the remembered port, or a free one when that is taken. */
export async function startRemembered<T>(stateDir: string, port: number | undefined, start: (port: number | undefined) => Promise<T>): Promise<T> {
  if (port !== undefined) return start(port);
  const remembered = rememberedPortalUrl(stateDir);
  if (remembered) {
    try {
      return await start(Number(new URL(remembered).port));
    } catch (err) {
      if ((err as Error).name !== 'PortInUseError') throw err;
    }
  }
  return start(undefined);
}
