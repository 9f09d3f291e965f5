import { AlignmentType, BorderStyle, LevelFormat, LineRuleType, ShadingType, TabStopType, type IStylesOptions, type INumberingOptions } from 'docx';
import type { HouseStyle } from '../../document/templates';
import { hex, pt, twipPt } from './units';

/** The Word styles and list numbering of the house style: real Heading 1-3, Caption, Source, tables, contents. */

function headingStyle(s: HouseStyle, size: number, outlineLevel: number, before: number, pageBreakBefore: boolean) {
  const c = s.colours;
  return {
    run: { font: s.fonts.wordHeading, size: pt(size), bold: true, color: hex(c.primary) },
    paragraph: {
      outlineLevel,
      keepNext: true,
      keepLines: true,
      pageBreakBefore,
      spacing: { before: twipPt(before), after: twipPt(outlineLevel === 0 ? 10 : 6) },
      tabStops: [{ type: TabStopType.LEFT, position: 720 }],
      ...(outlineLevel === 0 ? { border: { bottom: { style: BorderStyle.SINGLE, size: 18, color: hex(c.accent), space: 4 } } } : {}),
    },
  };
}

/** The id of the one table style every table uses: an editor restyles all tables by modifying "Assay table" in Word. */
export const TABLE_STYLE = 'AssayTable';

/**
 * The table style, written into styles.xml: rules between rows, the header row's fill and bold text (repeated on each
 * page by the rows themselves), banded rows and cell margins. `docx` has no option for table styles (its importedStyles
 * replace the default ones), so it is added to styles.xml after packing (index.ts), as WordprocessingML as Word writes it.
 */
export function tableStyleXml(s: HouseStyle): string {
  const c = s.colours;
  const rule = (side: string, size: number, colour: string) => `<w:${side} w:val="single" w:sz="${size}" w:space="0" w:color="${hex(colour)}"/>`;
  return (
    `<w:style w:type="table" w:customStyle="1" w:styleId="${TABLE_STYLE}">` +
    '<w:name w:val="Assay table"/><w:uiPriority w:val="59"/><w:qFormat/>' +
    '<w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr>' +
    `<w:rPr><w:sz w:val="${pt(s.sizes.tablePt)}"/><w:szCs w:val="${pt(s.sizes.tablePt)}"/></w:rPr>` +
    '<w:tblPr><w:tblStyleRowBandSize w:val="1"/><w:tblInd w:w="0" w:type="dxa"/>' +
    `<w:tblBorders>${rule('top', 8, c.rule)}${rule('bottom', 8, c.rule)}${rule('insideH', 4, c.rule)}</w:tblBorders>` +
    '<w:tblCellMar><w:top w:w="45" w:type="dxa"/><w:left w:w="90" w:type="dxa"/><w:bottom w:w="45" w:type="dxa"/><w:right w:w="90" w:type="dxa"/></w:tblCellMar>' +
    '</w:tblPr>' +
    `<w:tblStylePr w:type="firstRow"><w:rPr><w:b/><w:bCs/><w:color w:val="${hex(c.tableHeaderText)}"/></w:rPr>` +
    `<w:tcPr><w:tcBorders>${rule('bottom', 12, c.primary)}</w:tcBorders><w:shd w:val="clear" w:color="auto" w:fill="${hex(c.tableHeaderFill)}"/><w:vAlign w:val="bottom"/></w:tcPr></w:tblStylePr>` +
    `<w:tblStylePr w:type="band2Horz"><w:tcPr><w:shd w:val="clear" w:color="auto" w:fill="${hex(c.tableStripe)}"/></w:tcPr></w:tblStylePr>` +
    '</w:style>'
  );
}

export function docxStyles(s: HouseStyle): IStylesOptions {
  const c = s.colours;
  return {
    default: {
      document: {
        run: { font: s.fonts.wordBody, size: pt(s.sizes.bodyPt), color: hex(c.text), language: { value: 'en-GB' } },
        paragraph: { spacing: { after: twipPt(s.spacing.paragraphAfterPt), line: Math.round(240 * Math.min(1.3, s.spacing.lineHeight * 0.9)), lineRule: LineRuleType.AUTO } },
      },
      heading1: headingStyle(s, s.sizes.h1Pt, 0, s.sectionsOnNewPage ? 0 : 20, s.sectionsOnNewPage),
      heading2: headingStyle(s, s.sizes.h2Pt, 1, 14, false),
      heading3: headingStyle(s, s.sizes.h3Pt, 2, 10, false),
      caption: {
        run: { font: s.fonts.wordBody, size: pt(s.sizes.captionPt + 1), bold: true, italics: false, color: hex(c.text) },
        paragraph: { spacing: { before: twipPt(10), after: twipPt(4) }, keepNext: true },
      },
      hyperlink: { run: { color: hex(c.primary), underline: {} } },
      footnoteText: { run: { size: pt(s.sizes.captionPt - 1) }, paragraph: { spacing: { after: 40, line: 240, lineRule: LineRuleType.AUTO } } },
    },
    paragraphStyles: [
      {
        id: 'Source',
        name: 'Source',
        basedOn: 'Normal',
        next: 'Normal',
        run: { size: pt(s.sizes.captionPt - 0.5), color: hex(c.muted) },
        paragraph: { spacing: { before: twipPt(3), after: twipPt(12) } },
      },
      { id: 'TableText', name: 'Table text', basedOn: 'Normal', run: { size: pt(s.sizes.tablePt) }, paragraph: { spacing: { after: 0, line: 240, lineRule: LineRuleType.AUTO } } },
      {
        id: 'AssayQuote',
        name: 'Pull quote',
        basedOn: 'Normal',
        next: 'Normal',
        run: { size: pt(s.sizes.bodyPt + 1), color: hex(c.primary) },
        paragraph: {
          indent: { left: 280 },
          spacing: { before: 160, after: 200 },
          border: { left: { style: BorderStyle.SINGLE, size: 24, color: hex(c.accent), space: 10 } },
          shading: { fill: hex(c.calloutFill), type: ShadingType.CLEAR, color: 'auto' },
        },
      },
      {
        id: 'Callout',
        name: 'Callout',
        basedOn: 'Normal',
        paragraph: {
          indent: { left: 280, right: 280 },
          shading: { fill: hex(c.calloutFill), type: ShadingType.CLEAR, color: 'auto' },
          border: { left: { style: BorderStyle.SINGLE, size: 24, color: hex(c.primary), space: 10 } },
        },
      },
      {
        id: 'CoverTitle',
        name: 'Cover title',
        basedOn: 'Normal',
        run: { font: s.fonts.wordHeading, size: pt(36), bold: true, color: hex(c.primary) },
        paragraph: { spacing: { after: 240, line: 240, lineRule: LineRuleType.AUTO } },
      },
      {
        id: 'ContentsTitle',
        name: 'Contents title',
        basedOn: 'Normal',
        next: 'Normal',
        run: { font: s.fonts.wordHeading, size: pt(s.sizes.h1Pt), bold: true, color: hex(c.primary) },
        paragraph: { spacing: { after: 240 }, border: { bottom: { style: BorderStyle.SINGLE, size: 18, color: hex(c.accent), space: 4 } } },
      },
      { id: 'RunningHead', name: 'Running head', basedOn: 'Normal', run: { size: pt(8.5), color: hex(c.muted) }, paragraph: { spacing: { after: 0 } } },
      { id: 'TOC1', name: 'toc 1', basedOn: 'Normal', next: 'Normal', run: { bold: true }, paragraph: { spacing: { before: 100, after: 40 } } },
      { id: 'TOC2', name: 'toc 2', basedOn: 'Normal', next: 'Normal', paragraph: { indent: { left: 440 }, spacing: { after: 30 } } },
      { id: 'TOC3', name: 'toc 3', basedOn: 'Normal', next: 'Normal', run: { size: pt(s.sizes.bodyPt - 1) }, paragraph: { indent: { left: 880 }, spacing: { after: 20 } } },
    ],
  };
}

export const BULLETS = 'assay-bullets';
export const NUMBERS = 'assay-numbers';

export function docxNumbering(): INumberingOptions {
  return {
    config: [
      {
        reference: BULLETS,
        levels: [0, 1, 2].map((level) => ({
          level,
          format: LevelFormat.BULLET,
          text: ['•', '–', '▪'][level]!,
          alignment: AlignmentType.LEFT,
          style: { paragraph: { indent: { left: 360 * (level + 1), hanging: 260 } } },
        })),
      },
      {
        reference: NUMBERS,
        levels: [0, 1, 2].map((level) => ({
          level,
          format: [LevelFormat.DECIMAL, LevelFormat.LOWER_LETTER, LevelFormat.LOWER_ROMAN][level]!,
          text: `%${level + 1}.`,
          alignment: AlignmentType.LEFT,
          style: { paragraph: { indent: { left: 400 * (level + 1), hanging: 320 } } },
        })),
      },
    ],
  };
}
