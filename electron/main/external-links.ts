/**
 * External links the app will hand to the system browser. Reports cite government and regulator sources; anything
 * else (or anything not https) stays unopened, so a crafted link in imported content cannot launch other handlers
 * (file:, smb:, custom protocol handlers) through shell.openExternal.
 */
export const EXTERNAL_DOMAINS: readonly string[] = ['gov.uk', 'cqc.org.uk', 'nationalarchives.gov.uk'];

export function isAllowedExternalUrl(raw: string, domains: readonly string[] = EXTERNAL_DOMAINS): boolean {
  if (typeof raw !== 'string' || raw.length > 2048) return false;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return false;
  }
  if (url.protocol !== 'https:') return false;
  if (url.username || url.password) return false;
  if (url.port && url.port !== '443') return false;
  const host = url.hostname.toLowerCase().replace(/\.$/, '');
  return domains.some((d) => host === d || host.endsWith(`.${d}`));
}
