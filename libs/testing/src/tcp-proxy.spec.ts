import { once } from 'node:events';
import { createServer, connect, type Server } from 'node:net';
import { startTcpProxy, type TcpProxy } from './tcp-proxy';

/** Round-trips one chunk through the proxy to an echo server; rejects when the connection closes first. */
function echoThrough(port: number, text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(text));
    socket.once('data', (chunk) => {
      resolve(chunk.toString());
      socket.destroy();
    });
    socket.once('error', reject);
    socket.once('close', () => reject(new Error('closed before any answer')));
  });
}

describe('startTcpProxy', () => {
  let echo: Server;
  let proxy: TcpProxy;
  beforeAll(async () => {
    echo = createServer((socket) => socket.pipe(socket)).listen(0, '127.0.0.1');
    await once(echo, 'listening');
    proxy = await startTcpProxy({ host: '127.0.0.1', port: (echo.address() as { port: number }).port });
  });
  afterAll(async () => {
    await proxy.close();
    echo.close();
  });

  it('when the link is up, then bytes pass both ways', async () => {
    expect(await echoThrough(proxy.port, 'ping')).toBe('ping');
  });

  it('when the link is cut, then open connections close and new ones are dropped; restored, it passes again', async () => {
    const open = connect(proxy.port, '127.0.0.1');
    open.on('error', () => undefined);
    await once(open, 'connect');
    await new Promise((resolve) => setTimeout(resolve, 20));
    proxy.cut();
    await once(open, 'close');
    await expect(echoThrough(proxy.port, 'lost')).rejects.toBeDefined();
    proxy.restore();
    expect(await echoThrough(proxy.port, 'back')).toBe('back');
  });
});
