import { PDFArray, PDFDict, PDFDocument, PDFHeader, PDFHexString, PDFName, PDFRawStream, PDFRef, PDFString, decodePDFRawStream, type PDFObject } from 'pdf-lib';
import type { DocTree } from '../../../shared/document/tree';
import { wrapArtifacts } from './pdf-content';

/**
 * Makes Chromium's tagged PDF a PDF/UA-1 file (ISO 14289-1), after printing and before it is written, for the app and
 * the command line alike (export.ts render). Chromium writes the structure tree, the bookmarks, /Lang and
 * DisplayDocTitle; this adds what it lacks:
 *
 * - XMP metadata with pdfuaid:part 1, dc:title, dc:creator, dc:description and dc:language, and the document info to
 *   match (Author the organisation, Subject, Creator "Assay", Producer);
 * - PageMode UseOutlines, so the bookmarks show on opening, and bookmark titles with the spaces Chromium drops where a
 *   heading wraps ("State of Care 2017/18(demonstration data)");
 * - a RoleMap for the non-standard structure types Chromium writes (Strong, Em…);
 * - LBody in each list item around everything but its label;
 * - a Contents description on every link annotation, from where it goes;
 * - the untagged page furniture (running head and foot, backgrounds, rules) marked as artifacts.
 *
 * The document is loaded and saved whole with pdf-lib, which keeps every object, so the structure tree, its parent tree
 * and the marked content in the pages stay as Chromium wrote them.
 */

/** The structure types of ISO 32000-1 (14.8.4), which need no role map. */
export const STANDARD_TYPES = new Set(
  (
    'Document Part Art Sect Div BlockQuote Caption TOC TOCI Index NonStruct Private P H H1 H2 H3 H4 H5 H6 L LI Lbl LBody ' +
    'Table TR TH TD THead TBody TFoot Span Quote Note Reference BibEntry Code Link Annot Ruby RB RT RP Warichu WT WP Figure Formula Form'
  ).split(' '),
);

/** Standard types for those Chromium writes that ISO 32000-1 does not define (they come from PDF 2.0). */
const ROLE_OF: Record<string, string> = { Strong: 'Span', Em: 'Span', Sub: 'Span', Title: 'P', FENote: 'Note', Aside: 'Sect', DocumentFragment: 'Div' };

export interface PdfUaMeta {
  title: string;
  author: string;
  subject: string;
  description: string;
  keywords: string;
  lang: string;
  /** Descriptions of the link targets, by the HTML id Chromium names the destination after. */
  targets: Map<string, string>;
  /** The bookmark titles as they should read; a bookmark that matches one with its spaces left out takes its spacing. */
  bookmarks: string[];
  date?: Date;
}

/** What the PDF's metadata and link descriptions say, from the document tree. */
export function pdfUaMeta(doc: DocTree): PdfUaMeta {
  const m = doc.meta;
  const targets = new Map<string, string>();
  const heading = (number: string | undefined, text: string) => (number ? `${number} ${text}` : text);
  for (const h of doc.headings) targets.set(h.id, `Go to section ${heading(h.number, h.text)}`);
  targets.set('notes-title', 'Go to the notes');
  targets.set('toc-title', 'Go to the contents');
  for (const n of doc.notes) targets.set(`note-${n.n}`, `Go to note ${n.n}`);
  for (const r of doc.noteRefs) targets.set(`noteref-${r.ref}`, `Back to the reference to note ${r.n}`);
  return {
    title: m.mark ? `${m.mark}: ${m.title}` : m.title,
    author: m.organisation,
    subject: m.mark ? `${m.editionLabel}. ${m.subject}` : m.subject,
    description: `${m.title}${m.dateLine ? `. ${m.dateLine}` : ''}. ${m.editionLabel}.`,
    keywords: m.keywords,
    lang: m.language,
    targets,
    bookmarks: [m.title, 'Contents', ...doc.headings.map((h) => heading(h.number, h.text)), 'Notes'],
    date: new Date(m.generatedAt),
  };
}

const xmlEsc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** The XMP packet: Dublin Core, XMP basic, PDF and PDF/UA identification. */
export function xmpPacket(meta: PdfUaMeta, producer: string, date: Date): string {
  const iso = date.toISOString().replace(/\.\d{3}Z$/, 'Z');
  const alt = (s: string) => `<rdf:Alt><rdf:li xml:lang="x-default">${xmlEsc(s)}</rdf:li></rdf:Alt>`;
  return `<?xpacket begin="\uFEFF" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmlns:pdf="http://ns.adobe.com/pdf/1.3/" xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/">
<dc:format>application/pdf</dc:format>
<dc:title>${alt(meta.title)}</dc:title>
<dc:creator><rdf:Seq><rdf:li>${xmlEsc(meta.author)}</rdf:li></rdf:Seq></dc:creator>
<dc:description>${alt(meta.description)}</dc:description>
<dc:language><rdf:Bag><rdf:li>${xmlEsc(meta.lang)}</rdf:li></rdf:Bag></dc:language>
<xmp:CreatorTool>Assay</xmp:CreatorTool>
<xmp:CreateDate>${iso}</xmp:CreateDate>
<xmp:ModifyDate>${iso}</xmp:ModifyDate>
<xmp:MetadataDate>${iso}</xmp:MetadataDate>
<pdf:Producer>${xmlEsc(producer)}</pdf:Producer>
<pdf:Keywords>${xmlEsc(meta.keywords)}</pdf:Keywords>
<pdfuaid:part>1</pdfuaid:part>
</rdf:Description>
</rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>`;
}

const name = (s: string) => PDFName.of(s);
const text = (o: PDFObject | undefined) => (o instanceof PDFString || o instanceof PDFHexString ? o.decodeText() : undefined);

/** The array or single value of a dictionary entry, as a list. */
export function listOf(o: PDFObject | undefined): PDFObject[] {
  return o instanceof PDFArray ? o.asArray() : o ? [o] : [];
}

/** The structure elements of a tree, each once, with their references. */
export function structElems(doc: PDFDocument): { ref: PDFRef | undefined; dict: PDFDict }[] {
  const ctx = doc.context;
  const root = doc.catalog.lookupMaybe(name('StructTreeRoot'), PDFDict);
  if (!root) return [];
  const out: { ref: PDFRef | undefined; dict: PDFDict }[] = [];
  const seen = new Set<PDFDict>();
  const walk = (k: PDFObject | undefined) => {
    for (const kid of listOf(k)) {
      const ref = kid instanceof PDFRef ? kid : undefined;
      const d = ref ? ctx.lookup(ref) : kid;
      if (!(d instanceof PDFDict) || seen.has(d)) continue;
      const type = d.get(name('Type'));
      if (type === name('MCR') || type === name('OBJR')) continue;
      seen.add(d);
      out.push({ ref, dict: d });
      walk(d.get(name('K')));
    }
  };
  walk(root.get(name('K')));
  return out;
}

/** The structure type of an element, without its slash. */
export function typeOf(d: PDFDict): string {
  return d.get(name('S'))?.toString().slice(1) ?? '';
}

function roleMap(doc: PDFDocument, elems: { dict: PDFDict }[]): void {
  const root = doc.catalog.lookup(name('StructTreeRoot'), PDFDict);
  const map = root.lookupMaybe(name('RoleMap'), PDFDict) ?? doc.context.obj({});
  for (const { dict } of elems) {
    const t = typeOf(dict);
    if (t && !STANDARD_TYPES.has(t) && !map.has(name(t))) map.set(name(t), name(ROLE_OF[t] ?? 'Span'));
  }
  if (map.keys().length) root.set(name('RoleMap'), map);
}

/** Puts everything in a list item but its label into an LBody. */
function listBodies(doc: PDFDocument, elems: { ref: PDFRef | undefined; dict: PDFDict }[]): void {
  const ctx = doc.context;
  for (const { ref, dict } of elems) {
    if (typeOf(dict) !== 'LI' || !ref) continue;
    const kids = listOf(dict.get(name('K')));
    const body = kids.filter((k) => !(k instanceof PDFRef && typeOf(ctx.lookup(k, PDFDict)) === 'Lbl'));
    // Content straight in the item (an MCID) would need its parent tree entry moved too: Chromium writes none.
    if (!body.length || body.some((k) => !(k instanceof PDFRef)) || body.every((k) => typeOf(ctx.lookup(k as PDFRef, PDFDict)) === 'LBody')) continue;
    const lbody = ctx.obj({ Type: 'StructElem', S: 'LBody', P: ref, K: body });
    const lbodyRef = ctx.register(lbody);
    for (const k of body) ctx.lookup(k as PDFRef, PDFDict).set(name('P'), lbodyRef);
    dict.set(name('K'), ctx.obj([...kids.filter((k) => !body.includes(k)), lbodyRef]));
  }
}

/** Where a link annotation goes, in words. */
function linkDescription(doc: PDFDocument, annot: PDFDict, targets: Map<string, string>): string {
  const dest = annot.get(name('Dest'));
  const destName = dest instanceof PDFName ? dest.decodeText() : text(dest);
  if (destName !== undefined) return targets.get(destName) ?? 'Go to another part of this document';
  const action = annot.lookupMaybe(name('A'), PDFDict);
  const uri = text(action?.get(name('URI')));
  if (uri) {
    const file = /^[^:/?#]+\.(csv|xlsx|pdf|docx|html)$/i.exec(uri);
    return file ? `Open ${uri}, published with this report` : `Open ${uri}`;
  }
  return 'Link';
}

function linkContents(doc: PDFDocument, targets: Map<string, string>): void {
  for (const page of doc.getPages()) {
    const annots = page.node.Annots();
    if (!annots) continue;
    page.node.set(name('Tabs'), name('S'));
    for (const a of annots.asArray()) {
      const d = doc.context.lookup(a);
      if (d instanceof PDFDict && d.get(name('Subtype')) === name('Link') && !d.has(name('Contents'))) {
        d.set(name('Contents'), PDFHexString.fromText(linkDescription(doc, d, targets)));
      }
    }
  }
}

function bookmarkTitles(doc: PDFDocument, wanted: string[]): void {
  const ctx = doc.context;
  const bare = (s: string) => s.replace(/\s+/g, '');
  const byBare = new Map(wanted.map((w) => [bare(w), w]));
  const walk = (first: PDFObject | undefined) => {
    for (let item = first ? ctx.lookup(first) : undefined; item instanceof PDFDict; ) {
      const t = text(item.get(name('Title')));
      const fixed = t === undefined ? undefined : byBare.get(bare(t));
      if (fixed && fixed !== t) item.set(name('Title'), PDFHexString.fromText(fixed));
      walk(item.get(name('First')));
      const next = item.get(name('Next'));
      item = next ? ctx.lookup(next) : undefined;
    }
  };
  const outlines = doc.catalog.lookupMaybe(name('Outlines'), PDFDict);
  if (outlines) walk(outlines.get(name('First')));
}

function markArtifacts(doc: PDFDocument): void {
  const ctx = doc.context;
  for (const page of doc.getPages()) {
    const contents = page.node.get(name('Contents'));
    const refs = contents instanceof PDFRef && ctx.lookup(contents) instanceof PDFArray ? ctx.lookup(contents, PDFArray).asArray() : listOf(contents);
    // One stream per page is what Chromium writes; a marked run cannot span two streams, so each is done alone.
    for (const r of refs) {
      if (!(r instanceof PDFRef)) continue;
      const stream = ctx.lookup(r);
      if (!(stream instanceof PDFRawStream)) continue;
      const src = Buffer.from(decodePDFRawStream(stream).decode()).toString('latin1');
      const { content, wrapped } = wrapArtifacts(src);
      if (wrapped) ctx.assign(r, ctx.flateStream(Buffer.from(content, 'latin1')));
    }
  }
}

/** Chromium's tagged PDF, made PDF/UA-1 (see above). */
export async function makePdfUa(bytes: Uint8Array, meta: PdfUaMeta): Promise<Uint8Array> {
  const doc = await PDFDocument.load(bytes, { updateMetadata: false });
  const ctx = doc.context;
  const chromium = doc.getProducer() ?? 'Chromium';
  const producer = `Assay, printed by Chromium (${chromium}), finished with pdf-lib`;
  const date = meta.date && !Number.isNaN(meta.date.getTime()) ? meta.date : new Date();
  doc.setTitle(meta.title, { showInWindowTitleBar: true });
  doc.setAuthor(meta.author);
  doc.setSubject(meta.subject);
  if (meta.keywords) doc.setKeywords([meta.keywords]);
  doc.setCreator('Assay');
  doc.setProducer(producer);
  doc.setCreationDate(date);
  doc.setModificationDate(date);
  doc.setLanguage(meta.lang);
  const xmp = ctx.stream(new TextEncoder().encode(xmpPacket(meta, producer, date)), { Type: 'Metadata', Subtype: 'XML' });
  doc.catalog.set(name('Metadata'), ctx.register(xmp));
  doc.catalog.set(name('PageMode'), name('UseOutlines'));
  const elems = structElems(doc);
  roleMap(doc, elems);
  listBodies(doc, elems);
  linkContents(doc, meta.targets);
  bookmarkTitles(doc, meta.bookmarks);
  markArtifacts(doc);
  ctx.header = PDFHeader.forVersion(1, 7);
  return doc.save({ useObjectStreams: true, updateFieldAppearances: false });
}
