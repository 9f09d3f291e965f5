import { resolveInside } from '../services/http/static';

/** The app's own scheme and origin. Pages from anywhere else never get the API. */
export const APP_SCHEME = 'assay';
export const APP_HOST = 'app';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY = `${APP_ORIGIN}/index.html`;

/**
 * The file under the built renderer that an `assay://app/...` URL names, or null for anything else: another host, a
 * path that escapes the folder (`..`, encoded or not), a query that tries to smuggle a path. A URL naming the folder
 * itself gets index.html.
 */
export function appFileFor(rendererDir: string, requestUrl: string): string | null {
  let url: URL;
  try {
    url = new URL(requestUrl);
  } catch {
    return null;
  }
  if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST || url.username || url.password || url.port) return null;
  // URL parsing already folds plain `..` segments; the raw text is checked as well, so an escape cannot be normalised
  // into something harmless-looking on one side and something else on the other.
  const rawPath = requestUrl.slice(`${APP_ORIGIN}`.length).split(/[?#]/)[0] ?? '';
  if (/(^|\/)(\.|%2e){2}(\/|%2f|%5c|$)/i.test(rawPath)) return null;
  const pathname = url.pathname === '/' || url.pathname === '' ? '/index.html' : url.pathname;
  return resolveInside(rendererDir, pathname);
}

/** True when a frame URL belongs to the app: the only pages whose IPC is answered. */
export function isAppUrl(frameUrl: string | undefined | null): boolean {
  if (!frameUrl) return false;
  try {
    const u = new URL(frameUrl);
    return u.protocol === `${APP_SCHEME}:` && u.host === APP_HOST && !u.username && !u.password && !u.port;
  } catch {
    return false;
  }
}
