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

describe('ConnectionsModule closing order', () => {
  it('when the app shuts down, then each connection is closed only after the one listed before it has finished closing', async () => {
    const events: string[] = [];
    const slowToClose: Closable = {
      name: 'messaging',
      close: async () => {
        events.push('messaging closing');
        await new Promise((resolve) => setTimeout(resolve, 50));
        events.push('messaging closed');
      },
    };
    const store: Closable = { name: 'mongodb', close: async () => void events.push('mongodb closing') };
    const moduleRef = await Test.createTestingModule({
      imports: [ConnectionsModule.forRoot([slowToClose, store])],
    }).compile();
    const app = moduleRef.createNestApplication();
    await app.init();
    await app.close();
    expect(events).toEqual(['messaging closing', 'messaging closed', 'mongodb closing']);
  });
});
