/**
 * The syntax shared by WWW-Authenticate and Authorization (RFC 7235 §2.1,
 * §4.1): `Scheme name=value, name="quoted", Other-Scheme ...`, read leniently
 * because cameras bend it (Hikvision: unquoted values, spaces around '=',
 * uppercase names). Never throws; unreadable parts are skipped.
 */

export interface AuthSchemeParams {
  /** Lower-cased. */
  scheme: string;
  /** Names lower-cased; the first of a repeated name wins. */
  params: Map<string, string>;
}

const TOKEN = /[!#$%&'*+.^_`|~0-9A-Za-z-]+/y;
const WHITESPACE = /[ \t]*/y;

/** Each scheme in `value` with the parameters that follow it. */
export function parseAuthParams(value: string): AuthSchemeParams[] {
  const schemes: AuthSchemeParams[] = [];
  let current: AuthSchemeParams | undefined;
  let pos = 0;
  /** A scheme name can only start a comma-separated item. */
  let itemStart = true;
  while (pos < value.length) {
    const char = value[pos];
    if (char === ',' || char === ' ' || char === '\t') {
      itemStart ||= char === ',';
      pos++;
      continue;
    }
    const name = matchAt(TOKEN, value, pos);
    pos = name === undefined ? pos : afterWhitespace(value, pos + name.length);
    const isParam = value[pos] === '=' && value[pos + 1] !== '=';
    if (name !== undefined && !isParam && itemStart) {
      current = { scheme: name.toLowerCase(), params: new Map() };
      schemes.push(current);
      itemStart = false;
      continue;
    }
    if (name === undefined || !isParam) {
      // token68 credentials (`Negotiate YII/+w==`) or junk: up to the next item.
      pos = skipPast(value, pos);
      itemStart = true;
      continue;
    }
    pos = afterWhitespace(value, pos + 1);
    const [paramValue, end] =
      value[pos] === '"' ? readQuoted(value, pos) : readUnquoted(value, pos);
    const key = name.toLowerCase();
    if (current !== undefined && !current.params.has(key)) current.params.set(key, paramValue);
    pos = skipPast(value, end);
    itemStart = true;
  }
  return schemes;
}

/** `"text"` with '"' and '\' escaped (RFC 7230 §3.2.6 quoted-string). */
export function quoteAuthParam(text: string): string {
  return `"${text.replace(/["\\]/g, '\\$&')}"`;
}

function matchAt(pattern: RegExp, text: string, pos: number): string | undefined {
  pattern.lastIndex = pos;
  return pattern.exec(text)?.[0];
}

function afterWhitespace(text: string, pos: number): number {
  return pos + (matchAt(WHITESPACE, text, pos)?.length ?? 0);
}

/** Position after the next ',' at or after `pos` (junk up to it is ignored). */
function skipPast(text: string, pos: number): number {
  const comma = text.indexOf(',', pos);
  return comma < 0 ? text.length : comma + 1;
}

/** Value and end of a quoted-string starting at `pos`; an unterminated one runs to the end. */
function readQuoted(text: string, pos: number): [string, number] {
  let result = '';
  let i = pos + 1;
  for (; i < text.length; i++) {
    const char = text[i];
    if (char === '"') return [result, i + 1];
    if (char === '\\' && i + 1 < text.length) i++;
    result += text[i];
  }
  return [result, i];
}

/** A token value, or what a camera put there up to the next ',' (trimmed). */
function readUnquoted(text: string, pos: number): [string, number] {
  const comma = text.indexOf(',', pos);
  const end = comma < 0 ? text.length : comma;
  return [text.slice(pos, end).trim(), end];
}
