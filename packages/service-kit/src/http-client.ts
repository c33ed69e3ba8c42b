import type { Agent, OutgoingHttpHeaders, RequestOptions } from 'node:http';
import type { LookupFunction, Socket } from 'node:net';
import { http } from './node-http.js';

/*
 * How every service calls another over HTTP: node:http with kept-alive connections. Not fetch()
 * nor undici: either loads a second HTTP stack into the process, with its own WebAssembly parser,
 * about 17 MB (the global fetch, or merely touching the global Headers) to 27 MB (npm undici, which
 * touches Headers) of each service's idle memory; node:http costs 5-15 µs more CPU a call
 * (decision 0034).
 */

export type HttpAnswer = { status: number; text: string };

/** Where a call goes, taken apart once: a URL given as text is parsed anew on every call. */
export type HttpTarget = Pick<RequestOptions, 'hostname' | 'port'> & { path: string };

export type HttpCall = {
  method?: 'GET' | 'POST';
  headers?: OutgoingHttpHeaders;
  /** JSON text; its length is sent, so the callee reads it whole. */
  body?: string;
  /**
   * Past this, the call is cut off and fails with a `TimeoutError`. A timer of its own, not an
   * AbortSignal: node:http's handling of a signal costs a call about 10 µs more.
   */
  timeoutMs: number;
};

/** One call, its answer read whole; the agent's connections are kept alive (Node's default). */
export function httpCall(
  target: string | HttpTarget,
  call: HttpCall,
  agent: Agent = http.globalAgent,
): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const options = {
      agent,
      method: call.method ?? 'GET',
      headers:
        call.body === undefined
          ? call.headers
          : { ...call.headers, 'content-length': Buffer.byteLength(call.body) },
    };
    const outgoing =
      typeof target === 'string'
        ? http.request(target, options)
        : http.request({ ...target, ...options });
    const timer = setTimeout(
      () => outgoing.destroy(new DOMException('The call took too long', 'TimeoutError')),
      call.timeoutMs,
    );
    const fail = (error: unknown) => {
      clearTimeout(timer);
      reject(error);
    };
    outgoing.on('error', fail);
    outgoing.on('response', (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('error', fail);
      response.on('end', () => {
        clearTimeout(timer);
        resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString() });
      });
    });
    outgoing.end(call.body);
  });
}

/**
 * A pool of kept-alive connections to one callee. A connection not made within
 * `connectTimeoutMs` fails the call at once (`ETIMEDOUT`): on one network, a slower one is a
 * callee out of reach.
 */
export function connectionPool(options: {
  lookup?: LookupFunction;
  maxSockets: number;
  connectTimeoutMs: number;
}): Agent & { retire: () => void } {
  const agent = new http.Agent({
    keepAlive: true,
    maxSockets: options.maxSockets,
    ...(options.lookup ? { lookup: options.lookup } : {}),
  });
  const connect = agent.createConnection.bind(agent);
  agent.createConnection = (connectOptions, callback) => {
    const socket = connect(connectOptions, callback) as Socket | null | undefined;
    if (socket) {
      const timer = setTimeout(() => {
        const error = Object.assign(new Error('connect timed out'), { code: 'ETIMEDOUT' });
        socket.destroy(error);
      }, options.connectTimeoutMs);
      socket.once('connect', () => clearTimeout(timer));
      socket.once('close', () => clearTimeout(timer));
    }
    return socket;
  };
  return Object.assign(agent, {
    /** Idle connections close now, busy ones once their answer is in; none is reused. */
    retire: () => {
      agent.keepSocketAlive = () => false;
      for (const sockets of Object.values(agent.freeSockets)) {
        for (const socket of sockets ?? []) socket.destroy();
      }
    },
  });
}
