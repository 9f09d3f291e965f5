import { PDFArray, PDFDict, PDFDocument, PDFHexString, PDFName, PDFNumber, PDFRawStream, PDFRef, PDFString, decodePDFRawStream, type PDFObject } from 'pdf-lib';
import { mcidOf, PAINT_OPS, parseContent, parseToUnicode, textRuns, type TextRun } from './pdf-content';
import { listOf, STANDARD_TYPES, structElems, typeOf } from './pdf-ua';

/**
 * The machine-checkable conditions of the Matterhorn Protocol 1.1 (PDF/UA-1) that apply to Assay's PDFs, checked over
 * the PDF's objects with pdf-lib: no PDF/UA validator (veraPDF is Java, fetched from outside) can run here. Each
 * finding names its checkpoint and failure condition and the object it is about. Used by the tests and by
 * `assay check-pdf`.
 */

export interface PdfFinding {
  /** Matterhorn checkpoint and failure condition, e.g. "28-012". */
  checkpoint: string;
  /** The object: "page 3", "structure element 512 0 R (Figure)", "catalog". */
  object: string;
  message: string;
}

/** The checkpoints this checker covers, with what each is about. */
export const CHECKPOINTS: Record<string, string> = {
  '01': 'real content tagged, artifacts outside it, StructTreeRoot and MarkInfo',
  '02': 'role mapping',
  '06': 'metadata',
  '07': 'dictionary (DisplayDocTitle)',
  '09': 'appropriate tags (table and list syntax)',
  '11': 'declared natural language',
  '13': 'graphics (Figure alternative text)',
  '14': 'headings',
  '15': 'tables (TH scope)',
  '16': 'lists',
  '28': 'annotations (links)',
  '31': 'fonts embedded',
  'text': 'no words joined at line breaks in the tagged text (not a Matterhorn checkpoint: what a screen reader reads)',
};

const name = (s: string) => PDFName.of(s);
const decoded = (o: PDFObject | undefined) => (o instanceof PDFString || o instanceof PDFHexString ? o.decodeText() : undefined);
const latin1 = (s: PDFRawStream) => Buffer.from(decodePDFRawStream(s).decode()).toString('latin1');

function pageStreams(doc: PDFDocument, page: PDFDict): string {
  const ctx = doc.context;
  const c = page.get(name('Contents'));
  const arr = c instanceof PDFRef && ctx.lookup(c) instanceof PDFArray ? ctx.lookup(c, PDFArray).asArray() : listOf(c);
  return arr
    .map((r) => ctx.lookup(r))
    .filter((s): s is PDFRawStream => s instanceof PDFRawStream)
    .map(latin1)
    .join('\n');
}

function fontsOf(doc: PDFDocument, page: PDFDict) {
  const fonts = new Map<string, ReturnType<typeof parseToUnicode>>();
  const res = page.lookupMaybe(name('Resources'), PDFDict);
  const fd = res?.lookupMaybe(name('Font'), PDFDict);
  for (const [k, v] of fd?.entries() ?? []) {
    const f = doc.context.lookup(v);
    const tu = f instanceof PDFDict ? f.lookup(name('ToUnicode')) : undefined;
    if (tu instanceof PDFRawStream) fonts.set(k.decodeText(), parseToUnicode(latin1(tu)));
  }
  return fonts;
}

/** Words run together where a line wraps inside one piece of tagged content: "wherewe", "socialcare". */
function joinedWords(runs: TextRun[]): string[] {
  // Runs put together into lines of one piece of tagged content (Chromium often shows each glyph on its own).
  const lines: { mcid: number | undefined; y: number; text: string }[] = [];
  for (const r of runs) {
    const last = lines[lines.length - 1];
    const mcid = r.artifact ? undefined : r.mcid;
    if (last && mcid !== undefined && last.mcid === mcid && Math.abs(r.y - last.y) <= r.size * 0.6) last.text += r.text;
    else lines.push({ mcid, y: r.y, text: r.text });
  }
  const out: string[] = [];
  for (let i = 1; i < lines.length; i++) {
    const a = lines[i - 1]!;
    const b = lines[i]!;
    // A new line of the same content: lower on the page (y grows downwards in Chromium's flipped text matrix).
    if (a.mcid === undefined || a.mcid !== b.mcid || b.y <= a.y || !a.text || !b.text) continue;
    if (/[\s\u00ad\u2010\u2011\u2013\u2014/-]$/.test(a.text) || /^\s/.test(b.text)) continue;
    const word = `${/\S*$/.exec(a.text)![0]}${/^\S*/.exec(b.text)![0]}`;
    // A web address broken wherever it fits is still one address: nothing was lost between its two parts.
    if (/^(https?:\/\/|www\.)/i.test(word)) continue;
    out.push(word);
  }
  return out;
}

/** Checks a PDF against the Matterhorn conditions above: an empty list when it passes. */
export async function checkPdfUa(bytes: Uint8Array): Promise<PdfFinding[]> {
  const doc = await PDFDocument.load(bytes, { updateMetadata: false });
  const ctx = doc.context;
  const cat = doc.catalog;
  const f: PdfFinding[] = [];
  const add = (checkpoint: string, object: string, message: string) => f.push({ checkpoint, object, message });

  // 01: a structure tree, MarkInfo Marked true, and every mark on a page either tagged or an artifact.
  const root = cat.lookupMaybe(name('StructTreeRoot'), PDFDict);
  if (!root) add('01-002', 'catalog', 'no StructTreeRoot: the document is not tagged');
  const mark = cat.lookupMaybe(name('MarkInfo'), PDFDict);
  if (mark?.get(name('Marked'))?.toString() !== 'true') add('01-002', 'catalog', 'MarkInfo Marked is not true');

  // 06: XMP metadata with the PDF/UA identification and a title.
  const metaObj = cat.lookup(name('Metadata'));
  const meta = metaObj instanceof PDFRawStream ? metaObj : undefined;
  const xmp = meta ? new TextDecoder().decode(decodePDFRawStream(meta).decode()) : '';
  if (!meta) add('06-001', 'catalog', 'no Metadata stream');
  else {
    if (!/<pdfuaid:part>1<\/pdfuaid:part>|pdfuaid:part="1"/.test(xmp)) add('06-002', 'catalog Metadata', 'the XMP has no pdfuaid:part 1');
    if (!/<dc:title>[\s\S]*?<rdf:li[^>]*>[^<]+<\/rdf:li>/.test(xmp)) add('06-003', 'catalog Metadata', 'the XMP has no dc:title');
  }
  const infoRef = ctx.trailerInfo.Info;
  const info = infoRef ? ctx.lookup(infoRef) : undefined;
  for (const k of ['Title', 'Author', 'Subject', 'Creator', 'Producer']) {
    if (!(info instanceof PDFDict) || !decoded(info.lookup(name(k)))?.trim()) add('06-003', 'document info', `no ${k} in the document info`);
  }

  // 07: the title shown in the window.
  const vp = cat.lookupMaybe(name('ViewerPreferences'), PDFDict);
  if (vp?.get(name('DisplayDocTitle'))?.toString() !== 'true') add(vp ? '07-002' : '07-001', 'catalog ViewerPreferences', 'DisplayDocTitle is not true');
  if (cat.get(name('PageMode')) !== name('UseOutlines')) add('07', 'catalog', 'PageMode is not UseOutlines: the bookmarks are not shown on opening');

  // 11: the document's language.
  if (!decoded(cat.lookup(name('Lang')))?.trim()) add('11-001', 'catalog', 'no Lang: the natural language cannot be determined');

  // 02: standard types, or a role map to them without cycles.
  const rm = root?.lookupMaybe(name('RoleMap'), PDFDict);
  const roleOf = (t: string) => {
    const seen = new Set<string>();
    let cur = t;
    while (!STANDARD_TYPES.has(cur)) {
      if (seen.has(cur)) return { cycle: true, type: cur };
      seen.add(cur);
      const to = rm?.get(name(cur));
      if (!(to instanceof PDFName)) return { type: undefined };
      cur = to.decodeText();
    }
    return { type: cur };
  };
  for (const [k] of rm?.entries() ?? []) {
    if (STANDARD_TYPES.has(k.decodeText())) add('02-004', `RoleMap /${k.decodeText()}`, 'a standard type is remapped');
  }
  const elems = structElems(doc);
  const where = (e: { ref: PDFRef | undefined; dict: PDFDict }) => `structure element ${e.ref?.toString() ?? '(direct)'} (${typeOf(e.dict)})`;
  const std = (d: PDFDict) => roleOf(typeOf(d)).type ?? typeOf(d);
  const reported = new Set<string>();
  for (const e of elems) {
    const t = typeOf(e.dict);
    const r = roleOf(t);
    if (reported.has(t)) continue;
    if ('cycle' in r) (reported.add(t), add('02-003', where(e), `the role map of /${t} is circular`));
    else if (!r.type) (reported.add(t), add('02-001', where(e), `non-standard structure type /${t} is not role-mapped`));
  }

  // The kids that are structure elements, by standard type; and the rest (MCIDs, MCRs, OBJRs).
  const kidsOf = (d: PDFDict) => {
    const els: PDFDict[] = [];
    const other: PDFObject[] = [];
    for (const k of listOf(d.get(name('K')))) {
      const v = k instanceof PDFRef ? ctx.lookup(k) : k;
      if (v instanceof PDFDict && v.get(name('Type')) !== name('MCR') && v.get(name('Type')) !== name('OBJR')) els.push(v);
      else other.push(v ?? k);
    }
    return { els, other };
  };

  let lastHeading = 0;
  for (const e of elems) {
    const t = std(e.dict);
    const { els } = kidsOf(e.dict);
    const kidTypes = els.map(std);
    // 13: figures say what they show.
    if (t === 'Figure' && !decoded(e.dict.lookup(name('Alt')))?.trim() && !decoded(e.dict.lookup(name('ActualText')))?.trim()) add('13-004', where(e), 'Figure without Alt or ActualText');
    // 14: headings start at H1 and skip no level.
    const h = /^H([1-6])$/.exec(t);
    if (h) {
      const level = Number(h[1]);
      if (lastHeading === 0 && level !== 1) add('14-002', where(e), `the first heading is H${level}, not H1`);
      else if (level > lastHeading + 1) add('14-003', where(e), `H${level} follows H${lastHeading}: a level is skipped`);
      lastHeading = level;
    }
    // 09 and 15: tables as ISO 32000-1 Table 337 has them, header cells with a scope.
    if (t === 'Table' && kidTypes.some((k) => !['TR', 'THead', 'TBody', 'TFoot', 'Caption'].includes(k))) add('09-004', where(e), `a Table holds ${kidTypes.join(', ')}`);
    if (t === 'TR' && kidTypes.some((k) => k !== 'TH' && k !== 'TD')) add('09-004', where(e), `a TR holds ${kidTypes.join(', ')}`);
    if (['TR', 'TH', 'TD'].includes(t) || ['THead', 'TBody', 'TFoot'].includes(t)) {
      const parent = e.dict.lookupMaybe(name('P'), PDFDict);
      const pt = parent ? std(parent) : '';
      const ok = t === 'TR' ? ['Table', 'THead', 'TBody', 'TFoot'].includes(pt) : t === 'TH' || t === 'TD' ? pt === 'TR' : pt === 'Table';
      if (!ok) add('09-004', where(e), `a ${t} inside a ${pt || 'nothing'}`);
    }
    if (t === 'TH') {
      const attrs = listOf(e.dict.get(name('A'))).map((a) => ctx.lookup(a));
      const scope = attrs.some((a) => a instanceof PDFDict && a.has(name('Scope')));
      if (!scope && !e.dict.has(name('ID'))) add('15-003', where(e), 'a TH without Scope');
    }
    // 09 and 16: lists as L > LI > Lbl, LBody.
    if (t === 'L' && kidTypes.some((k) => k !== 'LI' && k !== 'L' && k !== 'Caption')) add('09-005', where(e), `an L holds ${kidTypes.join(', ')}`);
    if (t === 'LI') {
      if (kidTypes.some((k) => k !== 'Lbl' && k !== 'LBody') || kidsOf(e.dict).other.length) add('09-005', where(e), `an LI holds ${[...kidTypes, ...(kidsOf(e.dict).other.length ? ['content'] : [])].join(', ')}, not Lbl and LBody`);
      const parent = e.dict.lookupMaybe(name('P'), PDFDict);
      if (!parent || std(parent) !== 'L') add('09-005', where(e), 'an LI outside an L');
    }
    if (t === 'Lbl' || t === 'LBody') {
      const parent = e.dict.lookupMaybe(name('P'), PDFDict);
      if (!parent || std(parent) !== 'LI') add('09-005', where(e), `a ${t} outside an LI`);
    }
  }

  // 28: links tagged as Link with an OBJR, described, and pages with annotations in structure order.
  const parentTree = root?.lookupMaybe(name('ParentTree'), PDFDict);
  const parents = new Map<number, PDFObject>();
  const readNums = (node: PDFDict | undefined) => {
    if (!node) return;
    const nums = node.lookupMaybe(name('Nums'), PDFArray)?.asArray() ?? [];
    for (let i = 0; i + 1 < nums.length; i += 2) parents.set((nums[i] as PDFNumber).asNumber(), nums[i + 1]!);
    for (const k of node.lookupMaybe(name('Kids'), PDFArray)?.asArray() ?? []) readNums(ctx.lookup(k, PDFDict));
  };
  readNums(parentTree);

  for (const [i, page] of doc.getPages().entries()) {
    const p = `page ${i + 1}`;
    const annots = page.node.Annots()?.asArray() ?? [];
    if (annots.length && page.node.get(name('Tabs')) !== name('S')) add(page.node.has(name('Tabs')) ? '28-009' : '28-008', p, 'a page with annotations has no Tabs /S');
    for (const a of annots) {
      const d = ctx.lookup(a);
      if (!(d instanceof PDFDict) || d.get(name('Subtype')) !== name('Link')) continue;
      const at = `${p} link annotation ${a instanceof PDFRef ? a.toString() : ''}`.trim();
      if (!decoded(d.lookup(name('Contents')))?.trim()) add('28-012', at, 'a link annotation without Contents (its description)');
      const sp = d.get(name('StructParent'));
      const parent = sp instanceof PDFNumber ? parents.get(sp.asNumber()) : undefined;
      const pd = parent ? ctx.lookup(parent) : undefined;
      if (!(pd instanceof PDFDict) || std(pd) !== 'Link') add('28-011', at, 'a link annotation not in a Link structure element');
      else if (!kidsOf(pd).other.some((o) => o instanceof PDFDict && o.get(name('Type')) === name('OBJR'))) add('28-011', at, 'its Link structure element has no OBJR for it');
    }

    // 01 and the tagged text: every mark tagged or an artifact; no words joined where lines wrap.
    const content = pageStreams(doc, page.node);
    const stack: ('artifact' | 'tagged' | 'other')[] = [];
    let untagged = 0;
    for (const o of parseContent(content)) {
      if (o.op === 'BDC' || o.op === 'BMC') {
        const kind = o.operands[0] === '/Artifact' ? 'artifact' : mcidOf(o) !== undefined ? 'tagged' : 'other';
        if (kind === 'artifact' && stack.includes('tagged')) add('01-003', p, 'an artifact inside tagged content');
        if (kind === 'tagged' && stack.includes('artifact')) add('01-004', p, 'tagged content inside an artifact');
        stack.push(kind);
      } else if (o.op === 'EMC') stack.pop();
      else if (!stack.length && PAINT_OPS.has(o.op)) untagged++;
    }
    if (untagged) add('01-005', p, `${untagged} painting operators neither tagged nor marked as artifact`);
    // Text inside a Figure (a chart's labels) is not read out: a screen reader reads the Figure's Alt instead.
    const inFigure = new Set<number>();
    const sp = page.node.get(name('StructParents'));
    const pageParents = sp instanceof PDFNumber ? parents.get(sp.asNumber()) : undefined;
    const list = pageParents ? ctx.lookup(pageParents) : undefined;
    if (list instanceof PDFArray) {
      list.asArray().forEach((ref, mcid) => {
        for (let d = ref ? ctx.lookup(ref) : undefined, hops = 0; d instanceof PDFDict && hops < 64; d = d.lookup(name('P')), hops++) {
          if (std(d) === 'Figure') {
            inFigure.add(mcid);
            break;
          }
        }
      });
    }
    const joined = joinedWords(textRuns(content, fontsOf(doc, page.node)).filter((r) => r.mcid === undefined || !inFigure.has(r.mcid)));
    if (joined.length) add('text', p, `words joined where a line wraps: ${joined.slice(0, 5).map((w) => `“${w}”`).join(', ')}${joined.length > 5 ? ` and ${joined.length - 5} more` : ''}`);
  }

  // 31: every font embedded.
  for (const [ref, obj] of ctx.enumerateIndirectObjects()) {
    if (!(obj instanceof PDFDict) || obj.get(name('Type')) !== name('FontDescriptor')) continue;
    if (!['FontFile', 'FontFile2', 'FontFile3'].some((k) => obj.has(name(k)))) add('31-009', `font descriptor ${ref.toString()} (${obj.get(name('FontName'))?.toString() ?? ''})`, 'the font program is not embedded');
  }
  return f;
}

/** Findings as lines of text: "28-012 page 3 link annotation 12 0 R: a link annotation without Contents". */
export function formatFindings(findings: PdfFinding[]): string[] {
  return findings.map((x) => `${x.checkpoint} ${x.object}: ${x.message}`);
}

/** The alternative text of every Figure in a PDF's structure tree, in tree order (what a screen reader reads for each). */
export async function figureAlts(bytes: Uint8Array): Promise<string[]> {
  const doc = await PDFDocument.load(bytes, { updateMetadata: false });
  return structElems(doc)
    .filter((e) => typeOf(e.dict) === 'Figure')
    .map((e) => decoded(e.dict.lookup(name('Alt'))) ?? '');
}
