// Deliberately wrong, kept to prove lint rejects it (tools/workspace/test/module-boundaries.spec.ts).
import { eventually } from '@platform/testing';

export const forbidden = eventually;
