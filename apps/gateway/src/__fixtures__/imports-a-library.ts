// Allowed, kept to prove the rules do not reject everything (tools/workspace/test/module-boundaries.spec.ts).
import { ProblemException } from '@platform/http';

export const allowed = ProblemException;
