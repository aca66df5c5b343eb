import { once } from 'node:events';
import { createServer } from 'node:net';
import { freePorts } from './service-process';

describe('freePorts', () => {
  it('when 20 ports are asked for, then they are distinct, below the ephemeral range and above the servers’ fixed ports, and each can be bound', async () => {
    const ports = await freePorts(20);
    expect(new Set(ports).size).toBe(20);
    for (const port of ports) {
      expect(port).toBeGreaterThanOrEqual(20_000);
      expect(port).toBeLessThanOrEqual(26_999);
      const server = createServer().listen(port, '127.0.0.1');
      await once(server, 'listening');
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
