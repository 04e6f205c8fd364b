import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Answers one HTTP request on a path. */
export type HttpHandler = (request: IncomingMessage, response: ServerResponse) => void | Promise<void>;

/** A path served on a shared listener; release it when the plugin stops. */
export interface HttpRoute {
  /** The bound address (the real port when the configured one was 0). */
  readonly bound: AddressInfo;
  /** Drops this use; the listener closes when its last route is released. */
  release(): Promise<void>;
}

/** `host:port` split as Go's `net.SplitHostPort` does; an empty host means every address. */
export interface HostPort {
  readonly host: string;
  readonly port: number;
}

interface Endpoint {
  readonly server: Server;
  readonly listening: Promise<AddressInfo>;
  /** Per path, the handlers of the routes using it (the first one answers: they are equivalent). */
  readonly routes: Map<string, HttpHandler[]>;
  users: number;
}

/**
 * One listener per configured address in the process, shared by `health`, `ready` and
 * `prometheus` and by every server that names the address, as CoreDNS serves one endpoint per
 * address however many server blocks configure it.
 */
const endpoints = new Map<string, Endpoint>();

/**
 * Splits `host:port` (`:8080`, `localhost:9153`, `[::1]:8181`) the way Go's `net.SplitHostPort`
 * does, returning Go's error text for a bad one (CoreDNS reports that text).
 */
export function splitHostPort(address: string): HostPort | string {
  const bracket = /^\[([^\]]*)\]:(.*)$/.exec(address);
  const colon = address.lastIndexOf(':');
  if (bracket === null && colon === -1) return `address ${address}: missing port in address`;
  const host = bracket !== null ? (bracket[1] as string) : address.slice(0, colon);
  const portText = bracket !== null ? (bracket[2] as string) : address.slice(colon + 1);
  if (bracket === null && host.includes(':')) return `address ${address}: too many colons in address`;
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port > 65535) return `address ${address}: invalid port "${portText}"`;
  return { host, port };
}

function openEndpoint(address: string): Endpoint {
  const split = splitHostPort(address);
  if (typeof split === 'string') throw new Error(split);
  const routes = new Map<string, HttpHandler[]>();
  const server = createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0] as string;
    const handler = routes.get(path)?.[0];
    if (handler === undefined || (request.method !== 'GET' && request.method !== 'HEAD')) {
      response.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('404 page not found\n');
      return;
    }
    Promise.resolve(handler(request, response)).catch((error: unknown) => {
      if (!response.headersSent) response.writeHead(500);
      response.end(String(error));
    });
  });
  const listening = new Promise<AddressInfo>((resolve, reject) => {
    server.once('error', reject);
    const done = () => {
      server.off('error', reject);
      resolve(server.address() as AddressInfo);
    };
    if (split.host === '') server.listen(split.port, done);
    else server.listen(split.port, split.host, done);
  });
  return { server, listening, routes, users: 0 };
}

async function closeEndpoint(address: string, endpoint: Endpoint): Promise<void> {
  if (endpoints.get(address) === endpoint) endpoints.delete(address);
  await new Promise<void>((resolve) => {
    endpoint.server.close(() => resolve());
    endpoint.server.closeAllConnections();
  });
}

/**
 * Serves `path` on the listener for `address`, opening it on first use. Throws when the address
 * cannot be bound (in use: the server's start fails, as CoreDNS's does).
 */
export async function serveHttp(address: string, path: string, handler: HttpHandler): Promise<HttpRoute> {
  let endpoint = endpoints.get(address);
  if (endpoint === undefined) {
    endpoint = openEndpoint(address);
    endpoints.set(address, endpoint);
  }
  const current = endpoint;
  current.users++;
  const handlers = current.routes.get(path) ?? [];
  handlers.push(handler);
  current.routes.set(path, handlers);
  let bound: AddressInfo;
  try {
    bound = await current.listening;
  } catch (error) {
    current.users--;
    if (endpoints.get(address) === current) endpoints.delete(address);
    throw error;
  }
  let released = false;
  return {
    bound,
    release: async () => {
      if (released) return;
      released = true;
      const list = current.routes.get(path) ?? [];
      list.splice(list.indexOf(handler), 1);
      if (list.length === 0) current.routes.delete(path);
      if (--current.users === 0) await closeEndpoint(address, current);
    },
  };
}

/** Writes a plain-text answer, as Go's `io.WriteString` handlers of CoreDNS do. */
export function writeText(response: ServerResponse, status: number, body: string): void {
  response.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' }).end(body);
}
