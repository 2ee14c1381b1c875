/**
 * Logging: any pino-compatible logger (pino itself, or an object with
 * debug/info/warn/error/child), silent by default. Everything the SDK logs
 * goes through `redactingLogger`, so an Authorization header or a URL
 * password never reaches a log line, whatever the caller's logger does.
 */
import { redactText } from './rtsp/url.js';

export type LogFn = (objOrMsg: unknown, msg?: string) => void;

/** The subset of pino's logger the SDK calls. */
export interface Logger {
  debug: LogFn;
  info: LogFn;
  warn: LogFn;
  error: LogFn;
  child(bindings: Record<string, unknown>): Logger;
}

const noop: LogFn = () => {};

export const silentLogger: Logger = {
  debug: noop,
  info: noop,
  warn: noop,
  error: noop,
  child: () => silentLogger,
};

/** Field names whose values are secrets (header names are matched case-insensitively). */
const SECRET_KEY = /^(authorization|proxy-authorization|password|pass|credentials)$/i;
const REDACTED = '[redacted]';
/** Nested objects deeper than this are cut off rather than walked (cycles, huge structures). */
const MAX_DEPTH = 4;

/** A deep copy of `value` with secret fields replaced and URL passwords masked in every string. */
export function redactValue(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return redactText(value);
  if (value === null || typeof value !== 'object') return value;
  if (value instanceof Error) return redactError(value);
  if (ArrayBuffer.isView(value)) return `<${value.byteLength} bytes>`;
  if (depth >= MAX_DEPTH) return '[…]';
  if (Array.isArray(value)) return value.map((item) => redactValue(item, depth + 1));
  const copy: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(value)) {
    copy[key] = SECRET_KEY.test(key) ? REDACTED : redactValue(field, depth + 1);
  }
  return copy;
}

function redactError(error: Error): Record<string, unknown> {
  const fields: Record<string, unknown> = { type: error.name, message: redactText(error.message) };
  const code = (error as { code?: unknown }).code;
  if (code !== undefined) fields.code = code;
  if (error.cause !== undefined) fields.cause = redactValue(error.cause, MAX_DEPTH - 1);
  return fields;
}

/** Wraps `target` (default silent) so every argument is redacted before it is logged. */
export function redactingLogger(target: Logger = silentLogger): Logger {
  if (target === silentLogger) return silentLogger;
  const wrap =
    (log: LogFn): LogFn =>
    (objOrMsg, msg) => {
      if (msg === undefined) log(redactValue(objOrMsg));
      else log(redactValue(objOrMsg), redactText(msg));
    };
  return {
    debug: wrap(target.debug.bind(target)),
    info: wrap(target.info.bind(target)),
    warn: wrap(target.warn.bind(target)),
    error: wrap(target.error.bind(target)),
    child: (bindings) =>
      redactingLogger(target.child(redactValue(bindings) as Record<string, unknown>)),
  };
}
