import { Test } from '@nestjs/testing';
import { ConnectionsModule, type Closable } from './connections.module';

describe('ConnectionsModule', () => {
  it('when the app shuts down, then every connection is closed, even after one fails to close', async () => {
    const closed: string[] = [];
    const closable = (name: string, fails = false): Closable => ({
      name,
      close: async () => {
        closed.push(name);
        if (fails) throw new Error(`${name} refused to close`);
      },
    });
    const moduleRef = await Test.createTestingModule({
      imports: [ConnectionsModule.forRoot([closable('mongodb', true), closable('redis')])],
    }).compile();
    const app = moduleRef.createNestApplication();
    await app.init();
    await app.close();
    expect(closed.sort()).toEqual(['mongodb', 'redis']);
  });
});
