export { createHttpApp, type HttpAppOptions } from './create-http-app';
export { ProblemException, type ProblemDetails, type ProblemInit } from './problem';
export { ProblemDetailsFilter } from './problem-details.filter';
export { runUntilSignalled } from './run-until-signalled';
export { defineService, type ServiceDefinition } from './service-definition';
export { ZodValidationPipe, openApiSchemaOf } from './zod-validation.pipe';
export { emailAddress, printableText } from './request-fields';
