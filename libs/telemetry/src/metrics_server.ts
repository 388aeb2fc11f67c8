import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';

/** Options of {@link startMetricsServer}. */
export interface MetricsServerOptions {
  readonly registry: Registry;
  /** Interface to bind (default 127.0.0.1; `0.0.0.0` in a pod). */
  readonly host?: string;
  /** Port (default 0: a free port chosen by the OS). */
  readonly port?: number;
  /** Initial readiness of /readyz (default false: the app says when it is ready). */
  readonly ready?: boolean;
}

/** A running exporter. */
export interface MetricsServer {
  /** Bound address, e.g. { host: '127.0.0.1', port: 40123 }. */
  readonly address: { readonly host: string; readonly port: number };
  /** `http://host:port/metrics`, for the launcher's endpoints line and scrape configs. */
  readonly metricsUrl: string;
  /**
   * Sets what /readyz answers (200 when true, 503 when false): a value, or a function
   * asked at every probe (for readiness that ends by itself, e.g. a finished run).
   */
  setReady(ready: boolean | (() => boolean)): void;
  /** Stops listening and drops open connections (scrapes in flight are cut). */
  close(): Promise<void>;
}

/**
 * Serves `/metrics` (the registry in Prometheus text format), `/healthz` (200 while
 * the process runs) and `/readyz` (200 once the app calls `setReady(true)`).
 * A scrape only serializes the registry; collectors read cached values.
 *
 * @param opts the registry, where to bind and the initial readiness.
 * @returns once listening, with the bound address.
 * @throws the listen error (e.g. EADDRINUSE) naming the host and port.
 * @example const s = await startMetricsServer({registry}); console.log(s.metricsUrl); await s.close();
 */
export async function startMetricsServer(opts: MetricsServerOptions): Promise<MetricsServer> {
  const { registry } = opts;
  const host = opts.host ?? '127.0.0.1';
  let ready: () => boolean = constant(opts.ready ?? false);
  const server = createServer((req, res) => {
    handle({ req, res, registry, ready: () => ready() }).catch((err: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
      res.end(`metrics collection failed: ${err instanceof Error ? err.message : String(err)}\n`);
    });
  });
  await new Promise<void>((resolve, reject) => {
    const onError = (err: Error): void => reject(new Error(`startMetricsServer: cannot listen on ${host}:${opts.port ?? 0}: ${err.message}`, { cause: err }));
    server.once('error', onError);
    server.listen(opts.port ?? 0, host, () => {
      server.off('error', onError);
      resolve();
    });
  });
  const bound = server.address() as AddressInfo;
  const shownHost = bound.family === 'IPv6' ? `[${bound.address}]` : bound.address;
  return {
    address: { host: bound.address, port: bound.port },
    metricsUrl: `http://${shownHost}:${bound.port}/metrics`,
    setReady(value) {
      ready = typeof value === 'function' ? value : constant(value);
    },
    close() {
      return new Promise<void>((resolve, reject) => {
        server.close((err) => (err === undefined ? resolve() : reject(err)));
        server.closeAllConnections();
      });
    },
  };
}

const constant = (v: boolean) => (): boolean => v;

async function handle(args: { req: IncomingMessage; res: ServerResponse; registry: Registry; ready: () => boolean }): Promise<void> {
  const { req, res, registry } = args;
  const path = new URL(req.url ?? '/', 'http://localhost').pathname;
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain; charset=utf-8' }).end('method not allowed\n');
    return;
  }
  switch (path) {
    case '/metrics': {
      const body = await registry.metrics();
      res.writeHead(200, { 'content-type': registry.contentType }).end(req.method === 'HEAD' ? undefined : body);
      return;
    }
    case '/healthz':
      res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' }).end('ok\n');
      return;
    case '/readyz': {
      const ok = args.ready();
      res.writeHead(ok ? 200 : 503, { 'content-type': 'text/plain; charset=utf-8' }).end(ok ? 'ready\n' : 'not ready\n');
      return;
    }
    default:
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('not found: try /metrics, /healthz or /readyz\n');
  }
}
