import { Roles } from './roles.decorator';

describe('@Roles', () => {
  it('when given no role, then it refuses at start-up instead of meaning "any authenticated user"', () => {
    expect(() => Roles()).toThrow('@Roles() needs at least one role');
  });
});
