export * from './domain';
export * from './ports';
export * from './adapters';
export * from './application';
export * from './http';
