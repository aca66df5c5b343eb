import { parseInvocation, UsageError } from './args.ts';

describe('parseInvocation', () => {
  it("when nothing is given, then the local profile's servers and the services' default stores are read", () => {
    const invocation = parseInvocation([], {});

    expect(invocation).toEqual({
      name: 'check',
      json: false,
      connections: expect.objectContaining({
        mongoUrl: 'mongodb://127.0.0.1:27017',
        kafkaBrokers: ['127.0.0.1:9092'],
        cassandraContactPoints: '127.0.0.1:9042',
        cassandraDataCenter: 'datacenter1',
        providerUrl: 'http://127.0.0.1:3006',
        stores: {
          authDatabase: 'auth',
          inventoryDatabase: 'inventory',
          orderDatabase: 'order',
          paymentKeyspace: 'payment',
          notificationKeyspace: 'notification',
        },
        groups: ['inventory', 'order', 'payment', 'notification'],
        graceMs: 10_000,
      }),
    });
    expect(invocation.name === 'check' && invocation.connections.deadLetterTopics).toBeUndefined();
  });

  it('when the environment names the servers, then they are used, and options win over them', () => {
    const env = { MONGO_URL: 'mongodb://m:1', KAFKA_BROKERS: 'k1:1,k2:2', PROVIDER_URL: 'http://p:3' };

    expect(parseInvocation([], env)).toMatchObject({
      connections: { mongoUrl: 'mongodb://m:1', kafkaBrokers: ['k1:1', 'k2:2'], providerUrl: 'http://p:3' },
    });
    expect(parseInvocation(['--mongo', 'mongodb://x:2', '--kafka', 'k3:3'], env)).toMatchObject({
      connections: { mongoUrl: 'mongodb://x:2', kafkaBrokers: ['k3:3'] },
    });
  });

  it('when stores, groups, topics, grace and --json are given, then they are what is checked', () => {
    const invocation = parseInvocation(
      [
        '--inventory-db',
        'inv-1',
        '--order-db',
        'ord-1',
        '--auth-db',
        'auth-1',
        '--payment-keyspace',
        'pay_1',
        '--notification-keyspace',
        'not_1',
        '--groups',
        'g1, g2',
        '--dlq-topics',
        'a.dlq,b.dlq',
        '--grace-ms',
        '0',
        '--json',
        '--cassandra',
        'c:9042',
        '--provider',
        'http://127.0.0.1:4000',
      ],
      {},
    );

    expect(invocation).toMatchObject({
      name: 'check',
      json: true,
      connections: {
        cassandraContactPoints: 'c:9042',
        providerUrl: 'http://127.0.0.1:4000',
        stores: {
          authDatabase: 'auth-1',
          inventoryDatabase: 'inv-1',
          orderDatabase: 'ord-1',
          paymentKeyspace: 'pay_1',
          notificationKeyspace: 'not_1',
        },
        groups: ['g1', 'g2'],
        deadLetterTopics: ['a.dlq', 'b.dlq'],
        graceMs: 0,
      },
    });
  });

  it('when --help is given, then it asks for the usage', () => {
    expect(parseInvocation(['--help'], {})).toEqual({ name: 'help' });
  });

  it.each([
    [['--colour'], /Unknown option '--colour'/],
    [['extra'], /Unexpected argument 'extra'/],
    [['--kafka', 'nowhere'], /"nowhere" is not a broker/],
    [['--provider', 'not a url'], /"not a url" is not a URL/],
    [['--payment-keyspace', 'Payment-1'], /"Payment-1" is not a keyspace name/],
    [['--groups', ' , '], /--groups needs at least one name/],
    [['--dlq-topics', 'orders.events.v1'], /"orders.events.v1" is not a dead-letter topic/],
    [['--grace-ms', '5s'], /--grace-ms takes a number of milliseconds/],
  ])('when the command line is %j, then it is refused saying why', (argv, message) => {
    expect(() => parseInvocation(argv, {})).toThrow(UsageError);
    expect(() => parseInvocation(argv, {})).toThrow(message);
  });
});
