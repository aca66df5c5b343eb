import { InMemoryOrdersRepository } from '../src/orders/in-memory-orders.repository';
import { ordersRepositoryContract } from './contracts/orders-repository.contract';

ordersRepositoryContract('InMemoryOrdersRepository', async () => new InMemoryOrdersRepository());
