import { InMemoryAttemptCounter } from '../src/login-throttle/in-memory-attempt-counter';
import { InMemoryRefreshTokensRepository } from '../src/refresh-tokens/in-memory-refresh-tokens.repository';
import { InMemoryUsersRepository } from '../src/users/in-memory-users.repository';
import { describeAttemptCounterContract } from './contracts/attempt-counter.contract';
import { describeRefreshTokensRepositoryContract } from './contracts/refresh-tokens-repository.contract';
import { describeUsersRepositoryContract } from './contracts/users-repository.contract';

const nothingToClean = async () => undefined;

describeUsersRepositoryContract('in memory', async () => ({
  repository: new InMemoryUsersRepository(),
  cleanup: nothingToClean,
}));
describeRefreshTokensRepositoryContract('in memory', async () => ({
  repository: new InMemoryRefreshTokensRepository(),
  cleanup: nothingToClean,
}));
describeAttemptCounterContract('in memory', async () => ({
  repository: new InMemoryAttemptCounter(),
  cleanup: nothingToClean,
}));
