import {
  AlignmentType,
  BorderStyle,
  Footer,
  Header,
  LeaderType,
  PageNumber,
  Paragraph,
  TableOfContents,
  TabStopType,
  TextRun,
  convertMillimetersToTwip,
} from 'docx';
import type { DocTree } from '../../document/tree';
import { madeLine } from '../../document/publication';
import { hex, pt } from './units';

/** The furniture around the body of the Word edition: cover, notices, contents, running head and footer. */

/**
 * The cover: paragraphs, not a layout table (which readers and screen readers take for Table 1), the title in the Cover
 * title style; the notices that follow start a new page.
 */
export function cover(doc: DocTree): Paragraph[] {
  const s = doc.style;
  const c = s.colours;
  const m = doc.meta;
  const ink = hex(c.primary);
  return [
    new Paragraph({
      spacing: { before: convertMillimetersToTwip(30), after: 480 },
      border: { top: { style: BorderStyle.SINGLE, size: 24, color: hex(c.accent), space: 6 } },
      children: [new TextRun({ text: s.cover.kicker.toUpperCase(), color: hex(c.muted), size: pt(11), characterSpacing: 30 })],
    }),
    new Paragraph({ style: 'CoverTitle', children: [new TextRun({ text: m.title })] }),
    ...(m.subtitle ? [new Paragraph({ spacing: { after: 480 }, children: [new TextRun({ text: m.subtitle, color: ink, size: pt(17) })] })] : []),
    ...(m.dateLine ? [new Paragraph({ spacing: { after: 360 }, children: [new TextRun({ text: m.dateLine, size: pt(13) })] })] : []),
    ...(m.demonstration
      ? [
          new Paragraph({
            spacing: { before: 240, after: 240 },
            border: {
              top: { style: BorderStyle.SINGLE, size: 12, color: ink, space: 4 },
              bottom: { style: BorderStyle.SINGLE, size: 12, color: ink, space: 4 },
            },
            children: [new TextRun({ text: 'DEMONSTRATION DATA – NOT OFFICIAL STATISTICS', bold: true, color: ink, size: pt(12) })],
          }),
        ]
      : []),
    // A draft, an internal edition or a review copy says so on its cover, in large type, before the organisation.
    ...(m.mark
      ? [
          new Paragraph({
            spacing: { before: 360, after: 240 },
            border: {
              top: { style: BorderStyle.SINGLE, size: 24, color: 'B3261E', space: 4 },
              bottom: { style: BorderStyle.SINGLE, size: 24, color: 'B3261E', space: 4 },
              left: { style: BorderStyle.SINGLE, size: 24, color: 'B3261E', space: 4 },
              right: { style: BorderStyle.SINGLE, size: 24, color: 'B3261E', space: 4 },
            },
            children: [new TextRun({ text: m.editionLabel.toUpperCase(), bold: true, color: 'B3261E', size: pt(20) })],
          }),
        ]
      : []),
    new Paragraph({ spacing: { before: 2400 }, children: [new TextRun({ text: m.organisation, bold: true, color: ink, size: pt(15) })] }),
    new Paragraph({ children: [new TextRun({ text: m.editionLabel, size: pt(11) })] }),
  ];
}

export function notices(doc: DocTree): Paragraph[] {
  const m = doc.meta;
  const made = madeLine(m);
  return [
    // Set low on the page, as an imprint is; a full imprint starts nearer the top so that it keeps to one page.
    new Paragraph({ pageBreakBefore: true, spacing: { before: convertMillimetersToTwip(m.imprint.length ? 10 : 140) }, children: [] }),
    // The publication's furniture first (presented to Parliament, dates, copyright, licence, ISBN, contact, formats,
    // accessibility), each multi-line field line by line, then the edition's notices.
    ...m.imprint.map(
      (l) =>
        new Paragraph({
          style: 'Source',
          spacing: { after: 100 },
          children: [
            ...(l.heading ? [new TextRun({ text: l.heading, bold: true }), new TextRun({ break: 1 })] : []),
            ...l.text.split('\n').flatMap((line, i) => (i ? [new TextRun({ break: 1 }), new TextRun(line)] : [new TextRun(line)])),
          ],
        }),
    ),
    ...m.notices.map((n) => new Paragraph({ style: 'Source', children: [new TextRun(n)] })),
    ...(made ? [new Paragraph({ style: 'Source', children: [new TextRun(made)] })] : []),
  ];
}

export function contents(pageNumbers: boolean): (Paragraph | TableOfContents)[] {
  return [
    new Paragraph({ style: 'ContentsTitle', pageBreakBefore: true, children: [new TextRun('Contents')] }),
    // Without page numbers written, dot leaders would lead to nothing until Word updates the field.
    new TableOfContents('Contents', { hyperlink: true, headingStyleRange: '1-3', ...(pageNumbers ? {} : { tabLeader: LeaderType.NONE }) }),
  ];
}

export function runningHead(doc: DocTree): Header {
  const s = doc.style;
  const textWidthTwip = convertMillimetersToTwip(210 - s.page.marginMm.left - s.page.marginMm.right);
  return new Header({
    children: [
      new Paragraph({
        style: 'RunningHead',
        tabStops: [{ type: TabStopType.RIGHT, position: textWidthTwip }],
        children: [new TextRun({ text: doc.meta.runningHead, bold: !!doc.meta.mark }), new TextRun({ children: ['\t', doc.meta.organisation] })],
      }),
    ],
  });
}

/**
 * The cover's own header: empty for the final public edition; a draft, an internal edition or a review copy carries
 * its mark on the cover page too, so that no page of it is without one.
 */
export function coverHead(doc: DocTree): Header {
  const m = doc.meta;
  return new Header({
    children: [new Paragraph({ style: 'RunningHead', children: m.mark ? [new TextRun({ text: m.runningHead, bold: true })] : [] })],
  });
}

export function pageFooter(): Footer {
  return new Footer({
    children: [
      new Paragraph({
        style: 'RunningHead',
        alignment: AlignmentType.CENTER,
        children: [new TextRun({ children: ['Page ', PageNumber.CURRENT, ' of ', PageNumber.TOTAL_PAGES] })],
      }),
    ],
  });
}
