import { InMemoryNotificationStore } from '../src/store/in-memory-notification-store';
import { describeNotificationStoreContract } from './contracts/notification-store.contract';

describeNotificationStoreContract('in memory', async (clock) => new InMemoryNotificationStore(clock));
