import { type Server, type ServerResponse, STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import { PROBLEM_TYPE_BASE, type ProblemDetails } from './problem-details.filter';

function problemOf(code: string | undefined): ProblemDetails {
  switch (code) {
    case 'HPE_HEADER_OVERFLOW':
      return {
        type: `${PROBLEM_TYPE_BASE}/headers-too-large`,
        title: 'Request line and headers too large',
        status: 431,
        detail: 'the URL and headers together are limited to 16 KiB',
      };
    case 'HPE_CHUNK_EXTENSIONS_OVERFLOW':
      return { type: `${PROBLEM_TYPE_BASE}/body-too-large`, title: 'Body too large', status: 413 };
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return { type: `${PROBLEM_TYPE_BASE}/request-timeout`, title: 'Request timeout', status: 408 };
    default:
      return {
        type: `${PROBLEM_TYPE_BASE}/malformed-request`,
        title: 'Malformed request',
        status: 400,
        detail: 'the request is not valid HTTP/1.1',
      };
  }
}

/**
 * Requests Node's HTTP parser refuses (a URL over 16 KiB, a malformed request line) never reach Express:
 * answer them as problems too, where Node would send an empty 4xx.
 */
export function answerClientErrorsAsProblems(server: Server): void {
  server.on(
    'clientError',
    (error: NodeJS.ErrnoException, socket: Duplex & { _httpMessage?: ServerResponse | null }) => {
      // As Node does: answer only when no answer on this connection has begun (a kept-alive one may be in flight).
      if (socket.writable && !socket._httpMessage?.headersSent && error.code !== 'ECONNRESET') {
        const problem = problemOf(error.code);
        const body = JSON.stringify(problem);
        return void socket.end(
          [
            `HTTP/1.1 ${problem.status} ${STATUS_CODES[problem.status]}`,
            'Content-Type: application/problem+json',
            `Content-Length: ${Buffer.byteLength(body)}`,
            'Cache-Control: no-store',
            'X-Content-Type-Options: nosniff',
            'Connection: close',
            '',
            body,
          ].join('\r\n'),
        );
      }
      socket.destroy();
    },
  );
}
