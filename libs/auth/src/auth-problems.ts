import type { ProblemStatuses } from '@platform/http';

/**
 * What `@Authenticated()` can answer before the handler runs (`authenticateBearer`): 401 without a
 * token or with an invalid one, 503 while the auth service's keys cannot be fetched. For `ApiContract`.
 */
export const authenticationProblems: ProblemStatuses = { 401: ['about:blank'], 503: ['about:blank'] };

/** What `@Roles(...)` can answer: those of `@Authenticated()`, and 403 for a caller without the role (`rolesRefused`). */
export const roleProblems: ProblemStatuses = { ...authenticationProblems, 403: ['about:blank'] };
