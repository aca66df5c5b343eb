/**
 * The recorded upstream's process (recorded-upstream.ts starts it): answers every request on
 * 127.0.0.1:$PORT with $RECORDED_RESPONSE ({ status, headers, body }).
 */
import { createServer } from 'node:http';

const { status, headers, body } = JSON.parse(process.env['RECORDED_RESPONSE'] ?? '') as {
  status: number;
  headers: Record<string, string>;
  body: string;
};
const answer = { ...headers, 'content-length': String(Buffer.byteLength(body)) };

createServer((request, response) => {
  request.resume();
  response.writeHead(status, answer);
  response.end(body);
}).listen(Number(process.env['PORT']), '127.0.0.1');
process.once('SIGTERM', () => process.exit(0));
