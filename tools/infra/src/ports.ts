import { readFileSync, readdirSync, readlinkSync } from 'node:fs';
import net from 'node:net';
import { readCommandLine } from './processes.ts';

/** True when nothing listens on 127.0.0.1:<port>: we try to bind it ourselves and let go at once. */
export function isPortFree(port: number): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE' || error.code === 'EACCES') resolve(false);
      else reject(error);
    });
    probe.listen({ host: '127.0.0.1', port, exclusive: true }, () => probe.close(() => resolve(true)));
  });
}

/** "pid 123 (python3 -m http.server 6390)", or undefined when /proc does not tell (other user, namespace). */
export function describePortOwner(port: number): string | undefined {
  const inodes = listeningSocketInodes(port);
  if (inodes.size === 0) return undefined;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let descriptors: string[];
    try {
      descriptors = readdirSync(`/proc/${entry}/fd`);
    } catch {
      continue;
    }
    for (const descriptor of descriptors) {
      let target: string;
      try {
        target = readlinkSync(`/proc/${entry}/fd/${descriptor}`);
      } catch {
        continue;
      }
      const socket = /^socket:\[(\d+)\]$/.exec(target);
      if (socket?.[1] && inodes.has(socket[1]))
        return `pid ${entry} (${readCommandLine(Number(entry)) || 'unknown command'})`;
    }
  }
  return undefined;
}

const TCP_LISTEN = '0A';

function listeningSocketInodes(port: number): Set<string> {
  const inodes = new Set<string>();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let lines: string[];
    try {
      lines = readFileSync(table, 'utf8').trim().split('\n').slice(1);
    } catch {
      continue;
    }
    for (const line of lines) {
      const [, localAddress, , state, , , , , , inode] = line.trim().split(/\s+/);
      const localPort = parseInt(localAddress?.split(':')[1] ?? '', 16);
      if (state === TCP_LISTEN && localPort === port && inode) inodes.add(inode);
    }
  }
  return inodes;
}
