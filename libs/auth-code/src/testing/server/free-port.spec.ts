import { createServer } from 'node:net';
import { freePort } from './free-port';

describe('freePort()', () => {
  it('hands out a loopback port that is closed again, so a server can bind it at once', async () => {
    const port = await freePort();
    expect(port).toBeGreaterThan(0);
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', resolve);
    });
    expect(server.address()).toMatchObject({ address: '127.0.0.1', port });
    await new Promise((resolve) => server.close(resolve));
  });
});
