export { createHttpApp, type HttpAppOptions } from './create-http-app';
export { readJsonBody, type RequestWithBody } from './json-body';
export {
  listenWhileStarting,
  startingLiveness,
  startingReadiness,
  type ListenAddress,
} from './listen-while-starting';
export {
  ApiContract,
  addProblemResponses,
  jsonBodyProblems,
  problemTypesOf,
  withProblemDetailsSchema,
  type OpenApiHeader,
  type OpenApiResponse,
  type OperationContract,
  type ProblemStatuses,
} from './api-contract';
export { openApiDocumentOf } from './openapi-document';
export {
  ProblemException,
  problemDetailsSchema,
  problemTypeOf,
  type ProblemDetails,
  type ProblemInit,
} from './problem';
export { ProblemDetailsFilter } from './problem-details.filter';
export { sendProblem } from './problem-response';
export { stampRequestContext } from './request-context';
export { setSecurityHeaders } from './security-headers';
export {
  runUntilSignalled,
  defaultShutdownTimeoutMs,
  type RunUntilSignalledOptions,
} from './run-until-signalled';
export { defineService, type ServiceDefinition } from './service-definition';
export { ZodValidationPipe, openApiSchemaOf } from './zod-validation.pipe';
export { emailAddress, printableText } from './request-fields';
