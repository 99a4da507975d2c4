/**
 * Masking of secrets for the request journal: credential headers and the body fields and query parameters that
 * carry secrets keep their first 6 and last 4 characters (shorter values are hidden whole), so a test can tell two
 * keys apart without the journal holding any of them.
 */

/** Headers whose values are credentials (lower-case). */
const SECRET_HEADERS = new Set(['authorization', 'proxy-authorization', 'cookie', 'set-cookie', 'x-machhub-api-key', 'x-api-key']);

/** Body fields and query parameters that carry secrets (tokens, passwords, minted keys and webhook secrets). */
export const SECRET_FIELDS = [
  'client_secret',
  'clientSecret',
  'password',
  'refresh_token',
  'refreshToken',
  'access_token',
  'accessToken',
  'id_token',
  'tkn',
  'token',
  'secret',
  'api_key',
  'apiKey',
  'key',
];
const FIELD_SET = new Set(SECRET_FIELDS);
const FIELD_ALT = SECRET_FIELDS.join('|');
/** A secret field with a complete string value in JSON text. */
const JSON_FIELD = new RegExp(`("(?:${FIELD_ALT})"\\s*:\\s*")((?:[^"\\\\]|\\\\.)*)(")`, 'g');
/** The same, cut off by the 64 KiB limit before the value ends. */
const JSON_FIELD_CUT = new RegExp(`("(?:${FIELD_ALT})"\\s*:\\s*")((?:[^"\\\\]|\\\\.)*\\\\?)$`);

/** `abcdef…wxyz`; values shorter than 16 characters are hidden whole. */
export function maskSecret(value: string): string {
  if (value.length < 16) return value === '' ? '' : '…';
  return `${value.slice(0, 6)}…${value.slice(-4)}`;
}

/** `Bearer <credential>` keeps its scheme; a cookie list keeps its names. */
function maskHeader(name: string, value: string): string {
  if (name === 'cookie' || name === 'set-cookie') {
    return value.replace(/(^|[;,]\s*)([^=;,\s]+)=([^;,]*)/g, (m, sep: string, k: string, v: string, offset: number) =>
      // Set-Cookie attributes (Path=/, Max-Age=…) are not secrets; only the first pair of each cookie is.
      name === 'set-cookie' && offset > 0 && sep.startsWith(';') ? m : `${sep}${k}=${maskSecret(v)}`,
    );
  }
  const m = /^([A-Za-z][\w-]*) +(.+)$/.exec(value);
  return m && /^(bearer|basic|token|digest|apikey)$/i.test(m[1]) ? `${m[1]} ${maskSecret(m[2])}` : maskSecret(value);
}

/** Lower-case names, repeated headers joined with ", " (Set-Cookie with "\n"), credentials masked. */
export function maskHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k in headers) {
    const lower = k.toLowerCase();
    const raw = headers[k];
    if (raw === undefined) continue;
    if (Array.isArray(raw)) {
      const masked = SECRET_HEADERS.has(lower) ? raw.map((v) => maskHeader(lower, v)) : raw;
      out[lower] = masked.join(lower === 'set-cookie' ? '\n' : ', ');
    } else {
      out[lower] = SECRET_HEADERS.has(lower) ? maskHeader(lower, raw) : raw;
    }
  }
  return out;
}

/** `a=1&password=…`: secret parameters masked, everything else byte for byte. */
export function maskQuery(query: string): string {
  if (query === '') return query;
  return query
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      if (eq < 0) return pair;
      let name: string;
      try {
        name = decodeURIComponent(pair.slice(0, eq).replace(/\+/g, ' '));
      } catch {
        return pair;
      }
      if (!FIELD_SET.has(name)) return pair;
      let value: string;
      try {
        value = decodeURIComponent(pair.slice(eq + 1).replace(/\+/g, ' '));
      } catch {
        value = pair.slice(eq + 1);
      }
      return `${pair.slice(0, eq)}=${encodeURIComponent(maskSecret(value))}`;
    })
    .join('&');
}

/**
 * A body as text with secret fields masked: JSON string values of the secret fields (wherever they are nested,
 * also in a body cut at 64 KiB or embedded in multipart), and form-encoded parameters.
 */
export function maskBody(body: string, contentType: string): string {
  if (body === '') return body;
  const ct = contentType.toLowerCase();
  if (ct.startsWith('application/x-www-form-urlencoded')) return maskQuery(body);
  if (!body.includes('"')) return body;
  return body
    .replace(JSON_FIELD, (_m, head: string, value: string, tail: string) => head + jsonEscape(maskSecret(jsonUnescape(value))) + tail)
    .replace(JSON_FIELD_CUT, (_m, head: string, value: string) => head + jsonEscape(maskSecret(jsonUnescape(value))));
}

const jsonEscape = (s: string): string => JSON.stringify(s).slice(1, -1);

function jsonUnescape(s: string): string {
  if (!s.includes('\\')) return s;
  try {
    return JSON.parse(`"${s}"`) as string;
  } catch {
    return s;
  }
}
