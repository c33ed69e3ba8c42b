import type * as NodeHttp from 'node:http';

/**
 * node:http, taken as a CommonJS module: on Node 24 an ES `import … from 'node:http'` reads every
 * export to build the module's namespace, the lazy `WebSocket` among them, and so loads Node's own
 * copy of undici, about 17 MB of each process's memory, which no service uses.
 */
export const http: typeof NodeHttp = process.getBuiltinModule('node:http');
