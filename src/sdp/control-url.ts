/**
 * The base URL of a DESCRIBE answer and the control URLs of its tracks
 * (RFC 2326 §C.1.1, RFC 7826 §18.32), resolved the way cameras expect rather
 * than by RFC 3986 reference resolution:
 *
 * - absolute (`rtsp://…`): as is; `*` or empty: the base itself;
 * - relative (`trackID=1`): APPENDED to the base path with one '/' between, never
 *   replacing its last segment (the base rarely ends in '/': Hikvision, GStreamer,
 *   mediamtx and Axis all expect `…/stream/trackID=1`, as FFmpeg and gortsplib do);
 * - a base with a query keeps it after the new path: `rtsp://h/cam?channel=1` +
 *   `trackID=0` → `rtsp://h/cam/trackID=0?channel=1` (Axis writes its own absolute
 *   controls this way: `…/media.amp/stream=0?videocodec=h264`);
 * - except when the query itself ends in '/': Dahua's Content-Base is
 *   `…/realmonitor?channel=1&subtype=0/` and it expects `…subtype=0/trackID=0`,
 *   so the control is appended to it verbatim;
 * - a control with its own query (`trackID=0?x=1`) uses that query instead of the
 *   base's; one that is only a query (`?ctype=video`) adds it to the base's;
 * - a leading '/' is an absolute path when it repeats the base path
 *   (`/live/trackID=1` on `rtsp://h/live`), else it is appended like a relative one.
 *
 * Credentials (`user:pass@`) are removed from every URL returned.
 */

/** scheme, authority, path, query (with its '?'); a fragment is dropped. */
const URL_PARTS = /^([a-z][a-z0-9+.-]*):\/\/([^/?#]*)([^?#]*)(\?[^#]*)?/i;
const HAS_SCHEME = /^[a-z][a-z0-9+.-]*:\/\//i;
/** `192.0.2.1:554/…`, `[2001:db8::1]/…`, `cam.example/…`: a URL missing only its scheme. */
const SCHEMELESS_HOST =
  /^(\[[0-9a-f:.]+\]|[a-z0-9-]+(\.[a-z0-9-]+)*:\d+|[a-z0-9-]+(\.[a-z0-9-]+)+(?=[/?]))/i;

interface UrlParts {
  /** `rtsp://host:port`, without credentials. */
  origin: string;
  path: string;
  /** `?…` or ''. */
  query: string;
}

/**
 * The URL relative controls resolve against: Content-Base, else Content-Location,
 * else the request URL (RFC 2326 §C.1.1). A Content-Base without a scheme
 * (`192.0.2.1:554/live/`, `//host/live`, `/live/`) is completed from the request URL.
 */
export function sdpBaseUrl(
  requestUrl: string,
  contentBase?: string,
  contentLocation?: string,
): string {
  const request = requestUrl.trim();
  const header = nonEmpty(contentBase) ?? nonEmpty(contentLocation);
  const requestParts = splitUrl(request);
  if (header === undefined || requestParts === undefined)
    return withoutCredentials(header ?? request);
  if (HAS_SCHEME.test(header)) return withoutCredentials(header);
  const scheme = requestParts.origin.slice(0, requestParts.origin.indexOf(':'));
  if (header.startsWith('//')) return withoutCredentials(`${scheme}:${header}`);
  if (header.startsWith('/')) return requestParts.origin + header;
  if (SCHEMELESS_HOST.test(header)) return withoutCredentials(`${scheme}://${header}`);
  // A relative reference (RFC 3986 §5.2): it replaces the request path's last segment.
  return (
    requestParts.origin +
    requestParts.path.slice(0, requestParts.path.lastIndexOf('/') + 1) +
    header
  );
}

/** The absolute URL of a control attribute (see the rules above). */
export function resolveControl(base: string, control: string | undefined): string {
  const value = control?.trim() ?? '';
  if (value === '' || value === '*') return withoutCredentials(base);
  if (HAS_SCHEME.test(value)) return withoutCredentials(value);
  const parts = splitUrl(base.trim());
  if (parts === undefined) return appendPath(base.trim(), value);
  const { origin, path, query } = parts;
  if (query.endsWith('/')) return origin + path + query + value.replace(/^\/+/, '');
  if (value.startsWith('?'))
    return origin + path + (query === '' ? value : `${query}&${value.slice(1)}`);
  const queryAt = value.indexOf('?');
  const controlPath = queryAt < 0 ? value : value.slice(0, queryAt);
  const controlQuery = queryAt < 0 ? query : value.slice(queryAt);
  if (controlPath.startsWith('/') && isUnder(controlPath, path))
    return origin + controlPath + controlQuery;
  return origin + appendPath(path, controlPath) + controlQuery;
}

/** `url` without `user:password@`; strings that are not URLs come back as they are. */
export function withoutCredentials(url: string): string {
  const parts = splitUrl(url);
  return parts === undefined ? url : parts.origin + parts.path + parts.query;
}

function splitUrl(url: string): UrlParts | undefined {
  const match = URL_PARTS.exec(url);
  if (match === null) return undefined;
  const authority = match[2]!; // groups 1-3 always take part in a match
  // Passwords with an unencoded '@' are common: the host follows the last one.
  const host = authority.slice(authority.lastIndexOf('@') + 1);
  return { origin: `${match[1]!}://${host}`, path: match[3]!, query: match[4] ?? '' };
}

/** `base/rel` with exactly one '/' between them. */
function appendPath(base: string, relative: string): string {
  const rel = relative.replace(/^\/+/, '');
  if (rel === '') return base === '' ? '/' : base;
  return base.endsWith('/') ? base + rel : `${base}/${rel}`;
}

/** Whether `controlPath` lies under the directory `basePath` (so it is an absolute path, not a relative one). */
function isUnder(controlPath: string, basePath: string): boolean {
  const directory = basePath.endsWith('/') ? basePath : `${basePath}/`;
  return directory === '/' || controlPath.startsWith(directory);
}

function nonEmpty(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed === undefined || trimmed === '' ? undefined : trimmed;
}
