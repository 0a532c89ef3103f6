/**
 * The transport ports the API clients are built on. In Forge, Microsoft calls go through the global fetch (hosts
 * declared as egress) and Jira/Assets calls through api.asApp().requestJira; in tests and the sandbox both are
 * plain HTTP to 127.0.0.1. Clients never know which.
 */
import type { z } from 'zod';

import { AppError, type ErrorCode, type ErrorContext } from '../domain/errors';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface HttpRequest {
  readonly method: HttpMethod;
  /** ExternalFetch: an absolute https URL. JiraFetch: a site-relative path starting with '/'. */
  readonly url: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
}

export interface HttpResponse {
  readonly status: number;
  readonly headers: { get(name: string): string | null };
  text(): Promise<string>;
}

/** Requests to Microsoft hosts (token endpoint and Graph). Throws on network failure. */
export type ExternalFetch = (request: HttpRequest) => Promise<HttpResponse>;

/** Requests to the Jira site the app is installed on (Jira platform, JSM and Assets APIs). */
export type JiraFetch = (request: HttpRequest) => Promise<HttpResponse>;

/**
 * Reads a response body as JSON and parses it with the schema. Anything unexpected (not JSON, wrong shape) becomes
 * RESPONSE_MALFORMED naming the API call, so a surprise from a server never crashes deep inside the pipeline.
 */
export async function readJson<S extends z.ZodType>(
  response: HttpResponse,
  schema: S,
  what: string,
  context: ErrorContext = {},
): Promise<z.infer<S>> {
  const text = await response.text();
  let raw: unknown;
  try {
    raw = text.length === 0 ? undefined : JSON.parse(text);
  } catch (cause) {
    throw malformed(what, response.status, context, cause);
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw malformed(what, response.status, context, parsed.error);
  return parsed.data;
}

/** Parses a body that may be JSON; returns undefined when it is empty or not JSON (error bodies are often HTML). */
export async function readJsonLoose(response: HttpResponse): Promise<unknown> {
  const text = await response.text();
  if (text.length === 0) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function malformed(what: string, status: number, context: ErrorContext, cause: unknown): AppError {
  return new AppError('RESPONSE_MALFORMED', `${what} returned a response the app could not read (HTTP ${status}).`, {
    context: { ...context, status },
    cause,
    retry: 'now',
  });
}

export function httpError(code: ErrorCode, message: string, status: number, context: ErrorContext = {}, cause?: unknown): AppError {
  return new AppError(code, message, { context: { ...context, status }, cause });
}
