import { describeStockRulesContract } from './contracts/stock-rules.contract';
import { inMemoryStockStores } from './support/stock-harness';

describeStockRulesContract('in memory', async () => ({
  stores: inMemoryStockStores,
  cleanup: async () => undefined,
}));
