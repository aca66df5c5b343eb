export interface ContractSubject<Port> {
  store: Port;
  /** Drops what the run created (a database); nothing for in-memory adapters. */
  cleanup(): Promise<void>;
}
