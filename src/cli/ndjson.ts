/**
 * One event → one JSON line, field names exactly as in the RtspEvent types.
 * Binary fields (`payload`, `frame.data`) become their byte length, or
 * base64 with `withData`; errors become `{ name, code, message, ... }`
 * (an Error's own fields are not enumerable, so JSON.stringify would drop them).
 */
import type { RtspEvent } from '../events/types.js';
import type { RtspError } from '../errors.js';
import { redactText } from '../rtsp/url.js';

export function eventLine(event: RtspEvent, withData: boolean): string {
  const binary = (bytes: Uint8Array): number | string =>
    withData
      ? Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64')
      : bytes.byteLength;
  switch (event.type) {
    case 'rtp':
      return `${JSON.stringify({ ...event, payload: binary(event.payload) })}\n`;
    case 'video':
    case 'audio':
      return `${JSON.stringify({ ...event, frame: { ...event.frame, data: binary(event.frame.data) } })}\n`;
    case 'closed':
    case 'reconnecting':
      return `${JSON.stringify({ ...event, error: event.error && errorJson(event.error) })}\n`;
    case 'connect':
    case 'rtsp':
    case 'rtcp':
    case 'stats':
    case 'quirk':
    case 'reconnected':
      return `${JSON.stringify(event)}\n`;
  }
}

export function errorJson(error: RtspError): Record<string, unknown> {
  const json: Record<string, unknown> = {
    name: error.name,
    code: error.code,
    message: redactText(error.message),
  };
  for (const key of [
    'phase',
    'method',
    'cseq',
    'status',
    'reason',
    'position',
    'limit',
    'timeoutMs',
  ] as const) {
    const value = (error as unknown as Record<string, unknown>)[key];
    if (value !== undefined) json[key] = value;
  }
  return json;
}
