import { InvalidMessageError } from './invalid-message.error';
import { contractCatalog } from './message-catalog';
import { checkOutgoingMessage } from './message-contract-check';

const userId = '0f8fad5b-d9cb-469f-a165-70867728950e';
const valid = {
  topic: 'users.events.v1',
  type: 'platform.users.user-registered.v1',
  key: userId,
  data: { userId, email: 'ada@example.com', name: 'Ada' },
  source: 'auth',
};

describe('checkOutgoingMessage', () => {
  it('when the message keeps its contract, then it passes', () => {
    expect(() => checkOutgoingMessage(contractCatalog, valid)).not.toThrow();
  });

  it.each([
    [
      'its payload breaks the schema',
      { data: { userId, email: 'nope', name: 'Ada' } },
      /breaks its schema: email/,
    ],
    [
      'its type is not declared on the topic',
      { topic: 'orders.events.v1' },
      /is not a message type of orders.events.v1/,
    ],
    [
      'its type is a short name, not a wire name',
      { type: 'UserRegistered' },
      /UserRegistered is not a message type/,
    ],
    ['its key is not the aggregate id', { key: 'someone-else' }, /not its userId/],
    ['it has no source', { source: '' }, /has no source/],
  ])('when %s, then it throws InvalidMessageError', (_, change, reason) => {
    const check = () => checkOutgoingMessage(contractCatalog, { ...valid, ...change });
    expect(check).toThrow(InvalidMessageError);
    expect(check).toThrow(reason);
  });
});
