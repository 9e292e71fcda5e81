import type { Server } from 'node:http';
import type { RegistryConfig } from '@registry/config';

/**
 * A client that trickles its headers or body holds a socket and a parser for as long as it likes: Node cuts
 * it at `headersTimeout`/`requestTimeout`, both counted from the request's first byte. The expired request
 * reaches the server's `clientError` listener as ERR_HTTP_REQUEST_TIMEOUT (answered 408, then closed).
 * Node looks for expired requests every `connectionsCheckingInterval` (30 s by default), so that check runs
 * often enough for the timeouts to mean what they say. Set before `listen`, which starts the check.
 */
export function limitRequestTime(
  server: Server,
  config: Pick<RegistryConfig, 'HTTP_HEADERS_TIMEOUT_MS' | 'HTTP_BODY_TIMEOUT_MS'>,
): void {
  server.requestTimeout = config.HTTP_BODY_TIMEOUT_MS;
  // Node refuses a headers timeout longer than the request timeout it is part of.
  server.headersTimeout = Math.min(config.HTTP_HEADERS_TIMEOUT_MS, config.HTTP_BODY_TIMEOUT_MS);
  (server as Server & { connectionsCheckingInterval: number }).connectionsCheckingInterval = Math.max(
    50,
    Math.min(1_000, Math.floor(server.headersTimeout / 4)),
  );
}
