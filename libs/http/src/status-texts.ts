import { STATUS_CODES } from 'node:http';

/** What a client reads for errors the framework raises itself (no route, unparsable body, ...). */
const genericDetails: Record<number, string> = {
  400: 'The request could not be understood: check its syntax and body.',
  401: 'Authentication is required.',
  403: 'You are not allowed to do this.',
  404: 'There is nothing at this address.',
  405: 'This method is not allowed here.',
  413: 'The request body is too large.',
  415: 'The request body must be application/json.',
  429: 'Too many requests: slow down.',
  500: 'An unexpected error occurred.',
  502: 'An upstream service answered badly.',
  503: 'The service is unavailable: retry later.',
  504: 'An upstream service did not answer in time.',
};

export function titleOf(status: number): string {
  return STATUS_CODES[status] ?? 'Error';
}

export function genericDetailOf(status: number): string {
  return genericDetails[status] ?? titleOf(status);
}
