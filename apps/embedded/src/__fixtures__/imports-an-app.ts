// Deliberately wrong, kept to prove lint rejects it (tools/workspace/test/module-boundaries.spec.ts).
import { createApp } from '@platform/gateway';

export const forbidden = createApp;
