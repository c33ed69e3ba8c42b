import { isUnavailable } from '@bazaar/db/unavailable';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { DomainError, type FieldError, type Problem, problemType } from './errors.js';
import { http } from './node-http.js';

type AjvError = {
  instancePath: string;
  message?: string;
  keyword: string;
  params: Record<string, unknown>;
};

/** Turns every error, thrown or returned, into an RFC 9457 problem; 5xx details stay in the log. */
export function installProblemHandler(
  app: FastifyInstance,
  statuses: Readonly<Record<string, number>>,
): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const problem = toProblem(error, request, statuses);
    if (problem.status >= 500) {
      request.log.error({ err: error }, 'request failed');
    } else {
      request.log.info({ code: problem.code, status: problem.status }, problem.detail);
    }
    return sendProblem(reply, problem);
  });

  app.setNotFoundHandler((request, reply) =>
    sendProblem(reply, {
      type: problemType('not_found'),
      title: 'Not Found',
      status: 404,
      detail: `No route for ${request.method} ${request.url.split('?')[0]}`,
      code: 'not_found',
      requestId: request.id,
    }),
  );
}

export function sendProblem(reply: FastifyReply, problem: Problem): FastifyReply {
  if (problem.status === 401) reply.header('www-authenticate', 'Bearer');
  if (typeof problem.retryAfterSeconds === 'number') {
    reply.header('retry-after', String(problem.retryAfterSeconds));
  }
  return reply.code(problem.status).type('application/problem+json').send(problem);
}

function toProblem(
  error: FastifyError,
  request: FastifyRequest,
  statuses: Readonly<Record<string, number>>,
): Problem {
  const requestId = request.id;
  if (error instanceof DomainError) {
    const status = statuses[error.code] ?? 500;
    if (status >= 500) return withRetryAfter(httpProblem(status, requestId, error.message), error);
    return {
      ...error.details,
      type: problemType(error.code),
      title: titleOf(error.code),
      status,
      detail: error.message,
      code: error.code,
      requestId,
    };
  }
  if (error.validation) {
    const errors = (error.validation as AjvError[]).map((issue) =>
      toFieldError(issue, error.validationContext ?? 'body'),
    );
    return {
      type: problemType('validation'),
      title: 'Invalid request',
      status: 400,
      detail: errors.map((issue) => `${issue.field} ${issue.message}`).join('; '),
      code: 'validation',
      requestId,
      errors,
    };
  }
  if (isUnavailable(error)) {
    return { ...httpProblem(503, requestId, error.message), retryAfterSeconds: 2 };
  }
  const status = error.statusCode !== undefined && error.statusCode >= 400 ? error.statusCode : 500;
  return httpProblem(status, requestId, error.message);
}

function withRetryAfter(problem: Problem, error: DomainError): Problem {
  const { retryAfterSeconds } = error.details;
  return typeof retryAfterSeconds === 'number' ? { ...problem, retryAfterSeconds } : problem;
}

/** A problem named after its status; below 500 it shows `detail`, from 500 on it hides it. */
function httpProblem(status: number, requestId: string, detail: string): Problem {
  const title = http.STATUS_CODES[status] ?? 'Error';
  const code = title.toLowerCase().replaceAll(/[^a-z]+/g, '_');
  return {
    type: problemType(code),
    title,
    status,
    detail:
      status >= 500
        ? `Something went wrong on our side. Quote request id ${requestId} when you report it.`
        : detail,
    code,
    requestId,
  };
}

function toFieldError(issue: AjvError, location: string): FieldError {
  const path = issue.instancePath.split('/').filter(Boolean);
  const extra = issue.params.missingProperty ?? issue.params.additionalProperty;
  if (typeof extra === 'string') path.push(extra);
  const message =
    issue.keyword === 'additionalProperties'
      ? 'is not allowed'
      : issue.keyword === 'required'
        ? 'is required'
        : (issue.message ?? 'is invalid');
  return { field: path.join('.') || location, in: location, message };
}

function titleOf(code: string): string {
  const words = code.replaceAll('_', ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}
