import { InMemoryProductsRepository } from '../src/products/in-memory-products.repository';
import { InMemoryReservationsRepository } from '../src/reservations/in-memory-reservations.repository';
import { InMemoryStockLedger } from '../src/stock/in-memory-stock-ledger';
import { describeProductsRepositoryContract } from './contracts/products-repository.contract';
import { describeReservationsRepositoryContract } from './contracts/reservations-repository.contract';
import { describeStockLedgerContract } from './contracts/stock-ledger.contract';

const inMemory =
  <T>(store: T) =>
  async () => ({ store, cleanup: async () => undefined });

describeStockLedgerContract('in memory', inMemory(new InMemoryStockLedger()));
describeProductsRepositoryContract('in memory', inMemory(new InMemoryProductsRepository()));
describeReservationsRepositoryContract('in memory', inMemory(new InMemoryReservationsRepository()));
