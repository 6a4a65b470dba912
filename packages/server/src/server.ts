/** The Fastify application: routes, body parsing and limits, error handling. */
import Fastify, { type FastifyError, type FastifyInstance } from 'fastify';
import { ApiError, fastifyClientError, type ValidationError, validationError } from './errors.js';
import { MAX_JSON_DEPTH, jsonTooDeep } from './json.js';
import { buildOpenApi } from './openapi.js';
import { WorkerPool } from './pool.js';
import { ROUTES } from './routes.js';

/** Default largest request body: 5 MiB. */
export const DEFAULT_BODY_LIMIT = 5 * 1024 * 1024;
/** Default longest time a request may take (receiving it, queueing and analysis): 30 s. */
export const DEFAULT_TIMEOUT_MS = 30_000;
/** Settings of {@link createServer}. */
export interface ServerOptions {
  /** Largest request body in bytes; larger ones are answered 413. Default 5 MiB. */
  readonly bodyLimit?: number;
  /** Longest time in ms to receive a request and to analyse it; default 30 000. */
  readonly timeoutMs?: number;
  /** Analysis worker threads; default the number of cores, at most 4. */
  readonly workers?: number;
  /** Most analyses waiting for a worker; default 256. */
  readonly maxQueue?: number;
  /** Told about internal errors (with their stack); clients only ever see `internal error`. */
  readonly onError?: (message: string) => void;
}

/**
 * Create the API server (not yet listening: call `listen`, or use `startServer`). Its analysis
 * workers start at once and stop with `close()`.
 *
 * @example
 * const app = createServer({ bodyLimit: 1 << 20 });
 * await app.listen({ host: '127.0.0.1', port: 8080 });
 */
export function createServer(options: ServerOptions = {}): FastifyInstance {
  const bodyLimit = options.bodyLimit ?? DEFAULT_BODY_LIMIT;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const onError = options.onError ?? (() => {});
  const app = Fastify({
    logger: false,
    bodyLimit,
    requestTimeout: timeoutMs,
    onProtoPoisoning: 'remove',
    onConstructorPoisoning: 'remove',
    return503OnClosing: true,
    // Workers started from TypeScript sources can take long on a busy machine; see onReady below.
    pluginTimeout: 0,
    ajv: { customOptions: { coerceTypes: false, removeAdditional: false, useDefaults: false, allErrors: false } },
  });
  const pool = new WorkerPool({
    timeoutMs,
    onError,
    ...(options.workers !== undefined ? { size: options.workers } : {}),
    ...(options.maxQueue !== undefined ? { maxQueue: options.maxQueue } : {}),
  });
  // Listening starts once the workers can take jobs.
  app.addHook('onReady', async () => {
    await pool.whenReady();
  });
  app.addHook('onClose', async () => {
    await pool.close();
  });

  // JSON only, depth-checked before parsing; __proto__ and constructor.prototype keys are removed.
  const parseJson = app.getDefaultJsonParser('remove', 'remove');
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (req, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    if (jsonTooDeep(text, MAX_JSON_DEPTH)) {
      done(
        new ApiError(
          400,
          'TOO_DEEP',
          `the request body nests arrays and objects more than ${MAX_JSON_DEPTH} levels deep`,
        ),
        undefined,
      );
      return;
    }
    parseJson(req, text, done);
  });

  app.setErrorHandler((error: FastifyError, _req, reply) => {
    let api: ApiError;
    if (error instanceof ApiError) api = error;
    else if (error.validation !== undefined) api = validationError(error.validation as readonly ValidationError[]);
    else if (error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500)
      api = fastifyClientError(error.statusCode, error.code, error.message);
    else {
      onError(error.stack ?? error.message);
      api = new ApiError(500, 'INTERNAL', 'internal error');
    }
    return reply.code(api.statusCode).send({ error: api.body });
  });
  app.setNotFoundHandler((req, reply) =>
    reply.code(404).send({
      error: {
        code: 'NOT_FOUND',
        message: `no such endpoint: ${req.method} ${(req.url.split('?')[0] ?? '').slice(0, 200)}`,
      },
    }),
  );

  const openapi = JSON.stringify(buildOpenApi(ROUTES));
  for (const route of ROUTES) {
    const task = route.task;
    if (task !== undefined) {
      app.route({
        method: route.method,
        url: route.url,
        schema: { body: route.body },
        handler: async (req, reply) => {
          const outcome = await pool.run({ kind: task, body: req.body });
          return reply.code(outcome.status).type('application/json; charset=utf-8').send(outcome.json);
        },
      });
    } else if (route.operationId === 'health') {
      app.get(route.url, async () => ({ status: 'ok' }));
    } else if (route.operationId === 'openapi') {
      app.get(route.url, async (_req, reply) => reply.type('application/json; charset=utf-8').send(openapi));
    } else {
      throw new Error(`route ${route.url} has no handler`);
    }
  }
  return app;
}

/** A listening server. */
export interface RunningServer {
  readonly app: FastifyInstance;
  /** `http://127.0.0.1:8080` */
  readonly url: string;
  readonly port: number;
  /** Stop accepting connections, let running requests finish, stop the workers. */
  close(): Promise<void>;
}

/** Create the server and listen; loopback (127.0.0.1) and port 8080 by default. */
export async function startServer(
  options: ServerOptions & { readonly host?: string; readonly port?: number } = {},
): Promise<RunningServer> {
  const { host = '127.0.0.1', port = 8080, ...rest } = options;
  const app = createServer(rest);
  try {
    await app.listen({ host, port });
  } catch (e) {
    await app.close();
    throw e;
  }
  const address = app.server.address();
  const actualPort = typeof address === 'object' && address !== null ? address.port : port;
  const shownHost = host.includes(':') ? `[${host}]` : host;
  return { app, url: `http://${shownHost}:${actualPort}`, port: actualPort, close: () => app.close() };
}

/** Whether a host name or address only accepts connections from this machine. */
export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}
