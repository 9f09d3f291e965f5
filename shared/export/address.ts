/**
 * A text cut into plain parts and the web and email addresses in it, each with where it leads (a note's URL, the
 * imprint's contact). An address ends before the punctuation that closes its sentence.
 */
export function addressParts(text: string): { text: string; href?: string }[] {
  const re = /\b(https?:\/\/[^\s<>"]+?|www\.[a-z0-9-]+(?:\.[a-z0-9-]+)+(?:\/[^\s<>"]*?)?|nationalarchives\.gov\.uk\/[^\s<>"]*?|[\w.+-]+@[\w-]+(?:\.[\w-]+)+)(?=[.,;:)]?(?:\s|$))/gi;
  const out: { text: string; href?: string }[] = [];
  let at = 0;
  for (const m of text.matchAll(re)) {
    const a = m[0];
    if (m.index > at) out.push({ text: text.slice(at, m.index) });
    out.push({ text: a, href: a.includes('@') && !a.includes('/') ? `mailto:${a}` : /^https?:/i.test(a) ? a : `https://${a}` });
    at = m.index + a.length;
  }
  if (at < text.length) out.push({ text: text.slice(at) });
  return out;
}
