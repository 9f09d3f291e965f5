/**
 * A reader of PDF page content streams, enough for PDF/UA: the operators in order with their operands and where they
 * are in the stream, which marked content each is in, and the text a font's ToUnicode map gives their strings. Used to
 * mark Chromium's untagged page furniture as artifacts (pdf-ua.ts) and to check a PDF's tagging (pdf-check.ts).
 */

export interface ContentOp {
  op: string;
  operands: string[];
  /** Offsets in the stream (latin1 characters = bytes): from the first operand to the end of the operator. */
  start: number;
  end: number;
}

const WS = new Set([0x00, 0x09, 0x0a, 0x0c, 0x0d, 0x20]);
const DELIM = new Set('()<>[]{}/%'.split('').map((c) => c.charCodeAt(0)));

/** The operators of a content stream (given as latin1 text), each with its operands as written. */
export function parseContent(s: string): ContentOp[] {
  const ops: ContentOp[] = [];
  let operands: string[] = [];
  let opStart = -1;
  let i = 0;
  const n = s.length;
  const push = (tok: string, at: number) => {
    if (opStart < 0) opStart = at;
    operands.push(tok);
  };
  while (i < n) {
    const c = s.charCodeAt(i);
    if (WS.has(c)) {
      i++;
      continue;
    }
    const at = i;
    if (c === 0x25 /* % */) {
      while (i < n && s[i] !== '\n' && s[i] !== '\r') i++;
      continue;
    }
    if (c === 0x28 /* ( */) {
      let depth = 0;
      for (; i < n; i++) {
        const ch = s[i];
        if (ch === '\\') i++;
        else if (ch === '(') depth++;
        else if (ch === ')' && --depth === 0) break;
      }
      i++;
      push(s.slice(at, i), at);
      continue;
    }
    if (c === 0x3c /* < */) {
      if (s[i + 1] === '<') {
        // A dictionary operand (BDC's properties): kept whole, nested dictionaries and strings included.
        let depth = 0;
        while (i < n) {
          if (s.startsWith('<<', i)) {
            depth++;
            i += 2;
          } else if (s.startsWith('>>', i)) {
            depth--;
            i += 2;
            if (depth === 0) break;
          } else if (s[i] === '(') {
            let d = 0;
            for (; i < n; i++) {
              if (s[i] === '\\') i++;
              else if (s[i] === '(') d++;
              else if (s[i] === ')' && --d === 0) break;
            }
            i++;
          } else i++;
        }
        push(s.slice(at, i), at);
        continue;
      }
      const close = s.indexOf('>', i);
      i = close < 0 ? n : close + 1;
      push(s.slice(at, i), at);
      continue;
    }
    if (c === 0x5b /* [ */ || c === 0x5d /* ] */ || c === 0x7b || c === 0x7d) {
      i++;
      push(s[at]!, at);
      continue;
    }
    if (c === 0x2f /* / */) {
      i++;
      while (i < n && !WS.has(s.charCodeAt(i)) && !DELIM.has(s.charCodeAt(i))) i++;
      push(s.slice(at, i), at);
      continue;
    }
    while (i < n && !WS.has(s.charCodeAt(i)) && !DELIM.has(s.charCodeAt(i))) i++;
    if (i === at) {
      i++; // a stray delimiter (">"): skipped
      continue;
    }
    const tok = s.slice(at, i);
    if (/^[+-]?(\d+\.?\d*|\.\d+)$/.test(tok) || tok === 'true' || tok === 'false' || tok === 'null') {
      push(tok, at);
      continue;
    }
    if (tok === 'BI') {
      // An inline image: its data runs from ID to EI.
      const m = /\sEI(?=[\s]|$)/g;
      m.lastIndex = s.indexOf('ID', i);
      const found = m.exec(s);
      i = found ? found.index + found[0].length : n;
      ops.push({ op: 'BI', operands: [], start: opStart < 0 ? at : opStart, end: i });
      operands = [];
      opStart = -1;
      continue;
    }
    ops.push({ op: tok, operands, start: opStart < 0 ? at : opStart, end: i });
    operands = [];
    opStart = -1;
  }
  return ops;
}

/** Operators that put marks on the page: text, paths painted, shadings, images and forms. */
export const PAINT_OPS = new Set(['Tj', 'TJ', "'", '"', 'f', 'F', 'f*', 'B', 'B*', 'b', 'b*', 'S', 's', 'sh', 'Do', 'BI']);

/** The MCID of a BDC's properties, when it has one written inline. */
export function mcidOf(op: ContentOp): number | undefined {
  const m = /\/MCID\s+(\d+)/.exec(op.operands[1] ?? '');
  return m ? Number(m[1]) : undefined;
}

/**
 * Marks every run of painting at the top level (in no marked content) as an artifact: Chromium tags the document's
 * content but writes the page furniture (running head and foot from the CSS margin boxes, backgrounds, rules, table
 * borders drawn outside cells) untagged. A run that would cross a text object's bounds is left as it is.
 */
export function wrapArtifacts(s: string): { content: string; wrapped: number } {
  const ops = parseContent(s);
  let depth = 0;
  let inText = false;
  const runs: { from: number; to: number }[] = [];
  let run: { from: number; to: number; paints: boolean; text: boolean } | undefined;
  const close = () => {
    if (run && run.paints && run.text === inText) runs.push({ from: run.from, to: run.to });
    run = undefined;
  };
  for (const o of ops) {
    if (o.op === 'BDC' || o.op === 'BMC') {
      if (depth === 0) close();
      depth++;
      continue;
    }
    if (o.op === 'EMC') {
      depth = Math.max(0, depth - 1);
      continue;
    }
    if (depth === 0) {
      if (!run) run = { from: o.start, to: o.end, paints: false, text: inText };
      run.to = o.end;
      if (PAINT_OPS.has(o.op)) run.paints = true;
    }
    if (o.op === 'BT') inText = true;
    else if (o.op === 'ET') inText = false;
  }
  close();
  if (!runs.length) return { content: s, wrapped: 0 };
  const parts: string[] = [];
  let at = 0;
  for (const r of runs) {
    parts.push(s.slice(at, r.from), '/Artifact BMC\n', s.slice(r.from, r.to), '\nEMC');
    at = r.to;
  }
  parts.push(s.slice(at));
  return { content: parts.join(''), wrapped: runs.length };
}

/** A font's ToUnicode CMap as a map from character code (hex, as written) to text. */
export function parseToUnicode(cmap: string): { width: number; map: Map<number, string> } {
  const map = new Map<number, string>();
  let width = 1;
  const hexText = (h: string) => {
    let out = '';
    for (let k = 0; k + 4 <= h.length; k += 4) out += String.fromCharCode(parseInt(h.slice(k, k + 4), 16));
    return out;
  };
  for (const m of cmap.matchAll(/begincodespacerange\s*<([0-9a-fA-F]+)>/g)) width = m[1]!.length / 2;
  for (const block of cmap.matchAll(/beginbfchar([\s\S]*?)endbfchar/g)) {
    for (const m of block[1]!.matchAll(/<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]*)>/g)) map.set(parseInt(m[1]!, 16), hexText(m[2]!));
  }
  for (const block of cmap.matchAll(/beginbfrange([\s\S]*?)endbfrange/g)) {
    for (const m of block[1]!.matchAll(/<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s*(<([0-9a-fA-F]*)>|\[([^\]]*)\])/g)) {
      const lo = parseInt(m[1]!, 16);
      const hi = parseInt(m[2]!, 16);
      if (m[4] !== undefined) {
        const base = hexText(m[4]);
        for (let c = lo; c <= hi; c++) map.set(c, base.slice(0, -1) + String.fromCharCode(base.charCodeAt(base.length - 1) + (c - lo)));
      } else {
        const list = [...m[5]!.matchAll(/<([0-9a-fA-F]*)>/g)].map((x) => hexText(x[1]!));
        for (let c = lo; c <= hi; c++) map.set(c, list[c - lo] ?? '');
      }
    }
  }
  return { width, map };
}

/** The bytes of a string operand: a hex string or a literal string with its escapes. */
export function stringBytes(tok: string): number[] {
  if (tok.startsWith('<')) {
    const h = tok.slice(1, -1).replace(/\s+/g, '');
    const out: number[] = [];
    for (let k = 0; k < h.length; k += 2) out.push(parseInt(h.slice(k, k + 2).padEnd(2, '0'), 16));
    return out;
  }
  const body = tok.slice(1, -1);
  const out: number[] = [];
  for (let k = 0; k < body.length; k++) {
    const ch = body[k]!;
    if (ch !== '\\') {
      out.push(ch.charCodeAt(0) & 0xff);
      continue;
    }
    const nx = body[++k] ?? '';
    const esc: Record<string, number> = { n: 10, r: 13, t: 9, b: 8, f: 12, '(': 40, ')': 41, '\\': 92 };
    if (nx in esc) out.push(esc[nx]!);
    else if (/[0-7]/.test(nx)) {
      const oct = /^[0-7]{1,3}/.exec(body.slice(k))![0];
      out.push(parseInt(oct, 8) & 0xff);
      k += oct.length - 1;
    }
  }
  return out;
}

/** One piece of text shown on a page: its text, the line it starts (text matrix y, x) and the MCID it is tagged with. */
export interface TextRun {
  text: string;
  x: number;
  y: number;
  size: number;
  mcid: number | undefined;
  /** True when in an Artifact, or in no marked content. */
  artifact: boolean;
}

/**
 * The text runs of a page's content stream in order, decoded with each font's ToUnicode map (fonts by resource name).
 * Each BT…ET, and each Td move within it, starts a run at its text position.
 */
export function textRuns(s: string, fonts: Map<string, { width: number; map: Map<number, string> }>): TextRun[] {
  const out: TextRun[] = [];
  const stack: { mcid: number | undefined; artifact: boolean }[] = [];
  let font: { width: number; map: Map<number, string> } | undefined;
  let size = 0;
  let x = 0;
  let y = 0;
  const show = (tok: string) => {
    const bytes = stringBytes(tok);
    const w = font?.width ?? 1;
    let text = '';
    for (let k = 0; k + w <= bytes.length; k += w) {
      let code = 0;
      for (let j = 0; j < w; j++) code = code * 256 + bytes[k + j]!;
      text += font?.map.get(code) ?? '';
    }
    return text;
  };
  const top = () => stack[stack.length - 1];
  for (const o of parseContent(s)) {
    switch (o.op) {
      case 'BDC':
      case 'BMC': {
        const artifact = o.operands[0] === '/Artifact' || !!top()?.artifact;
        stack.push({ mcid: mcidOf(o) ?? top()?.mcid, artifact });
        break;
      }
      case 'EMC':
        stack.pop();
        break;
      case 'Tf':
        font = fonts.get(o.operands[0]!.slice(1));
        size = Number(o.operands[1]);
        break;
      case 'Tm':
        x = Number(o.operands[4]);
        y = Number(o.operands[5]);
        break;
      case 'Td':
      case 'TD':
        x += Number(o.operands[0]);
        y += Number(o.operands[1]);
        break;
      case 'Tj':
      case "'":
      case '"':
      case 'TJ': {
        const text = o.op === 'TJ' ? o.operands.filter((t) => t.startsWith('(') || t.startsWith('<')).map(show).join('') : show(o.operands[o.operands.length - 1]!);
        const t = top();
        out.push({ text, x, y, size, mcid: t?.mcid, artifact: !t || t.artifact });
        break;
      }
    }
  }
  return out;
}
