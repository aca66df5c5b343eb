import { InMemoryProductsRepository } from '../src/products/in-memory-products.repository';
import { InMemoryReservationsRepository } from '../src/reservations/in-memory-reservations.repository';
import { InMemoryStockRepository } from '../src/stock/in-memory-stock.repository';
import { describeProductsRepositoryContract } from './contracts/products-repository.contract';
import { describeReservationsRepositoryContract } from './contracts/reservations-repository.contract';
import { describeStockRepositoryContract } from './contracts/stock-repository.contract';

const inMemory =
  <T>(store: T) =>
  async () => ({ store, cleanup: async () => undefined });

describeStockRepositoryContract('in memory', inMemory(new InMemoryStockRepository()));
describeProductsRepositoryContract('in memory', inMemory(new InMemoryProductsRepository()));
describeReservationsRepositoryContract('in memory', inMemory(new InMemoryReservationsRepository()));
