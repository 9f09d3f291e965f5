import { useCallback, useEffect, useRef, useState } from 'react';
import { useRovingToolbar } from '../ui/roving';
import { useLexicalComposerContext } from '@lexical/react/LexicalComposerContext';
import { $createHeadingNode, $createQuoteNode, $isHeadingNode, $isQuoteNode, type HeadingTagType } from '@lexical/rich-text';
import { $isListNode, INSERT_ORDERED_LIST_COMMAND, INSERT_UNORDERED_LIST_COMMAND, REMOVE_LIST_COMMAND, ListNode } from '@lexical/list';
import { $createLinkNode, $isLinkNode, $toggleLink } from '@lexical/link';
import { INSERT_TABLE_COMMAND } from '@lexical/table';
import { $setBlocksType } from '@lexical/selection';
import { $findMatchingParent, $getNearestNodeOfType, mergeRegister } from '@lexical/utils';
import {
  $createParagraphNode,
  $createTextNode,
  $getSelection,
  $insertNodes,
  $setSelection,
  $isRangeSelection,
  $isRootOrShadowRoot,
  CAN_REDO_COMMAND,
  CAN_UNDO_COMMAND,
  COMMAND_PRIORITY_LOW,
  FORMAT_TEXT_COMMAND,
  REDO_COMMAND,
  UNDO_COMMAND,
  type LexicalEditor,
} from 'lexical';
import { INSERT_PAGE_BREAK_COMMAND } from './commands';

export type BlockType = 'paragraph' | 'h1' | 'h2' | 'h3' | 'quote' | 'bullet' | 'number';

const BLOCK_LABELS: Record<BlockType, string> = {
  paragraph: 'Normal text',
  h1: 'Heading 1',
  h2: 'Heading 2',
  h3: 'Heading 3',
  quote: 'Quote',
  bullet: 'Bulleted list',
  number: 'Numbered list',
};

export function setBlockType(editor: LexicalEditor, type: BlockType, current: BlockType): void {
  if (type === 'bullet' || type === 'number') {
    editor.dispatchCommand(current === type ? REMOVE_LIST_COMMAND : type === 'bullet' ? INSERT_UNORDERED_LIST_COMMAND : INSERT_ORDERED_LIST_COMMAND, undefined);
    return;
  }
  if (current === 'bullet' || current === 'number') editor.dispatchCommand(REMOVE_LIST_COMMAND, undefined);
  editor.update(() => {
    const sel = $getSelection();
    if (!$isRangeSelection(sel)) return;
    if (type === 'paragraph') $setBlocksType(sel, () => $createParagraphNode());
    else if (type === 'quote') $setBlocksType(sel, () => $createQuoteNode());
    else $setBlocksType(sel, () => $createHeadingNode(type as HeadingTagType));
  });
}

/** Links that may be written into a report: web and mail addresses only (no javascript:, file: or app-internal URLs). */
export function validateUrl(url: string): boolean {
  return /^(https?:\/\/[^\s]+|mailto:[^\s@]+@[^\s@]+)$/i.test(url.trim());
}

export interface ToolbarState {
  blockType: BlockType;
  bold: boolean;
  italic: boolean;
  link: string | null;
}

const INITIAL: ToolbarState = { blockType: 'paragraph', bold: false, italic: false, link: null };

/** The formatting at the caret, recomputed once per update and only set when it differs, so typing stays cheap. */
export function useToolbarState(editor: LexicalEditor): ToolbarState {
  const [state, setState] = useState<ToolbarState>(INITIAL);
  useEffect(
    () =>
      editor.registerUpdateListener(({ editorState }) => {
        editorState.read(() => {
          const sel = $getSelection();
          if (!$isRangeSelection(sel)) return;
          const anchor = sel.anchor.getNode();
          let top =
            anchor.getKey() === 'root' ? anchor : $findMatchingParent(anchor, (n) => { const p = n.getParent(); return p !== null && $isRootOrShadowRoot(p); });
          top ??= anchor.getTopLevelElementOrThrow();
          let blockType: BlockType = 'paragraph';
          if ($isListNode(top)) {
            const list = $getNearestNodeOfType(anchor, ListNode);
            blockType = (list ?? top).getListType() === 'number' ? 'number' : 'bullet';
          } else if ($isHeadingNode(top)) {
            const tag = top.getTag();
            blockType = tag === 'h1' || tag === 'h2' || tag === 'h3' ? tag : 'h3';
          } else if ($isQuoteNode(top)) blockType = 'quote';
          const linkParent = $findMatchingParent(anchor, $isLinkNode);
          const link = linkParent && $isLinkNode(linkParent) ? linkParent.getURL() : null;
          const next: ToolbarState = { blockType, bold: sel.hasFormat('bold'), italic: sel.hasFormat('italic'), link };
          setState((prev) =>
            prev.blockType === next.blockType && prev.bold === next.bold && prev.italic === next.italic && prev.link === next.link ? prev : next,
          );
        });
      }),
    [editor],
  );
  return state;
}

const isMac = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform);
export const MOD = isMac ? '⌘' : 'Ctrl';

/** The formatting toolbar. Every button has a visible or accessible label and its shortcut in its tooltip. */
export function Toolbar(props: {
  onFind: () => void;
  onInsertFigure: (mode: 'inline' | 'table' | 'chart') => void;
  onCiteEvidence: () => void;
  /** Comment on the selected words (Ctrl+Alt+M). */
  onComment?: (() => void) | undefined;
  linkEditorOpen: boolean;
  setLinkEditorOpen: (open: boolean) => void;
  readOnly: boolean;
}) {
  const [editor] = useLexicalComposerContext();
  const st = useToolbarState(editor);
  const [canUndo, setCanUndo] = useState(false);
  const [canRedo, setCanRedo] = useState(false);
  useEffect(
    () =>
      mergeRegister(
        editor.registerCommand(CAN_UNDO_COMMAND, (v) => (setCanUndo(v), false), COMMAND_PRIORITY_LOW),
        editor.registerCommand(CAN_REDO_COMMAND, (v) => (setCanRedo(v), false), COMMAND_PRIORITY_LOW),
      ),
    [editor],
  );
  const disabled = props.readOnly;
  const bar = useRef<HTMLDivElement>(null);
  useRovingToolbar(bar);

  return (
    <>
    <div className="tb" role="toolbar" aria-label="Formatting" aria-controls="report-editor-content" ref={bar}>
      <div className="tb__group">
        <button type="button" className="tb__btn" onClick={() => editor.dispatchCommand(UNDO_COMMAND, undefined)} disabled={disabled || !canUndo} title={`Undo (${MOD}+Z)`} aria-label="Undo">
          <Icon name="undo" />
        </button>
        <button type="button" className="tb__btn" onClick={() => editor.dispatchCommand(REDO_COMMAND, undefined)} disabled={disabled || !canRedo} title={`Redo (${MOD}+Shift+Z)`} aria-label="Redo">
          <Icon name="redo" />
        </button>
      </div>
      <div className="tb__group">
        <label className="visually-hidden" htmlFor="tb-block">
          Text style
        </label>
        <select
          id="tb-block"
          className="tb__select"
          value={st.blockType}
          disabled={disabled}
          title={`Text style (${MOD}+Alt+0 to 3)`}
          onChange={(e) => setBlockType(editor, e.target.value as BlockType, st.blockType)}
        >
          {(Object.keys(BLOCK_LABELS) as BlockType[]).map((t) => (
            <option key={t} value={t}>
              {BLOCK_LABELS[t]}
            </option>
          ))}
        </select>
      </div>
      <div className="tb__group">
        <button type="button" className="tb__btn" aria-pressed={st.bold} disabled={disabled} onClick={() => editor.dispatchCommand(FORMAT_TEXT_COMMAND, 'bold')} title={`Bold (${MOD}+B)`} aria-label="Bold">
          <b>B</b>
        </button>
        <button type="button" className="tb__btn" aria-pressed={st.italic} disabled={disabled} onClick={() => editor.dispatchCommand(FORMAT_TEXT_COMMAND, 'italic')} title={`Italic (${MOD}+I)`} aria-label="Italic">
          <i>I</i>
        </button>
        <button type="button" className="tb__btn" aria-pressed={st.link !== null} disabled={disabled} onClick={() => props.setLinkEditorOpen(!props.linkEditorOpen)} title={`Link (${MOD}+K)`} aria-label="Link" aria-expanded={props.linkEditorOpen}>
          <Icon name="link" />
        </button>
        <button type="button" className="tb__btn" aria-pressed={st.blockType === 'bullet'} disabled={disabled} onClick={() => setBlockType(editor, 'bullet', st.blockType)} title={`Bulleted list (${MOD}+Shift+8)`} aria-label="Bulleted list">
          <Icon name="bullets" />
        </button>
        <button type="button" className="tb__btn" aria-pressed={st.blockType === 'number'} disabled={disabled} onClick={() => setBlockType(editor, 'number', st.blockType)} title={`Numbered list (${MOD}+Shift+7)`} aria-label="Numbered list">
          <Icon name="numbers" />
        </button>
        <button type="button" className="tb__btn" aria-pressed={st.blockType === 'quote'} disabled={disabled} onClick={() => setBlockType(editor, st.blockType === 'quote' ? 'paragraph' : 'quote', st.blockType)} title={`Quote (${MOD}+Alt+Q)`} aria-label="Quote">
          <Icon name="quote" />
        </button>
        <button type="button" className="tb__btn" disabled={disabled} onClick={() => editor.dispatchCommand(INSERT_TABLE_COMMAND, { rows: '3', columns: '3', includeHeaders: { rows: true, columns: false } })} title="Insert a 3 × 3 table" aria-label="Insert table">
          <Icon name="table" />
        </button>
      </div>
      <div className="tb__group tb__group--assay">
        <button type="button" className="tb__btn tb__btn--text" disabled={disabled} onClick={() => props.onInsertFigure('inline')} title={`Insert a live figure in the text (${MOD}+Shift+L)`} aria-label="Insert live figure">
          <Icon name="figure" /> Figure
        </button>
        <button type="button" className="tb__btn tb__btn--text" disabled={disabled} onClick={() => props.onInsertFigure('table')} title="Insert a figure as a table or chart block" aria-label="Table/chart: insert a figure as a table or chart">
          <Icon name="chart" /> Table/chart
        </button>
        <button type="button" className="tb__btn tb__btn--text" disabled={disabled} onClick={props.onCiteEvidence} title={`Cite evidence (${MOD}+Shift+E)`} aria-label="Cite evidence">
          <Icon name="cite" /> Cite
        </button>
        <button type="button" className="tb__btn" disabled={disabled} onClick={() => editor.dispatchCommand(INSERT_PAGE_BREAK_COMMAND, undefined)} title={`Page break (${MOD}+Enter)`} aria-label="Insert page break">
          <Icon name="pagebreak" />
        </button>
        {props.onComment && (
          <button
            type="button"
            className="tb__btn"
            disabled={disabled}
            // Keeps the text's selection: the comment is on the words selected when the button is pressed.
            onMouseDown={(e) => e.preventDefault()}
            onClick={props.onComment}
            title={`Comment on the selected words (${MOD}+Alt+M)`}
            aria-label="Comment"
          >
            <Icon name="comment" />
          </button>
        )}
      </div>
      <div className="tb__group tb__group--end">
        <button type="button" className="tb__btn" onClick={props.onFind} title={`Find (${MOD}+F)`} aria-label="Find">
          <Icon name="search" />
        </button>
      </div>
    </div>
    {props.linkEditorOpen && <LinkEditor currentLink={st.link} onClose={() => props.setLinkEditorOpen(false)} />}
    </>
  );
}

/** Inline editor for a link's address, shown under the toolbar (Electron has no window.prompt). */
function LinkEditor({ currentLink, onClose }: { currentLink: string | null; onClose: () => void }) {
  const [editor] = useLexicalComposerContext();
  const [url, setUrl] = useState(currentLink ?? 'https://');
  const [error, setError] = useState<string | null>(null);
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => {
    input.current?.focus();
    input.current?.select();
  }, []);
  // The selection the link applies to, taken before focus moves into the address field: focus leaving the text
  // may collapse or clear the editor's selection, and the link must go where the writer had selected.
  const [saved] = useState(() => editor.getEditorState().read(() => $getSelection()?.clone() ?? null));
  const apply = useCallback(() => {
    if (!validateUrl(url)) {
      setError('Enter a web address starting https:// or http://, or an email address starting mailto:');
      return;
    }
    const href = url.trim();
    editor.update(() => {
      if (saved) $setSelection(saved.clone());
      const sel = $getSelection();
      if ($isRangeSelection(sel) && sel.isCollapsed() && currentLink === null) {
        // Nothing selected to turn into a link: write the address itself as the link text.
        const link = $createLinkNode(href);
        link.append($createTextNode(href.replace(/^mailto:/i, '')));
        $insertNodes([link]);
      } else {
        $toggleLink(href);
      }
    });
    onClose();
    editor.focus();
  }, [editor, url, onClose, currentLink, saved]);
  return (
    <form
      className="linked"
      onSubmit={(e) => {
        e.preventDefault();
        apply();
      }}
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.preventDefault();
          onClose();
          editor.focus();
        }
      }}
    >
      <label htmlFor="link-url" className="linked__label">
        Link address
      </label>
      <input
        id="link-url"
        ref={input}
        className="linked__input"
        value={url}
        onChange={(e) => setUrl(e.target.value)}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? 'link-url-error' : undefined}
        inputMode="url"
        spellCheck={false}
      />
      <button type="submit" className="re-btn re-btn--primary re-btn--small">
        Apply
      </button>
      {currentLink !== null && (
        <button
          type="button"
          className="re-btn re-btn--small"
          onClick={() => {
            editor.update(() => {
              if (saved) $setSelection(saved.clone());
              $toggleLink(null);
            });
            onClose();
            editor.focus();
          }}
        >
          Remove link
        </button>
      )}
      <button type="button" className="re-btn re-btn--quiet re-btn--small" onClick={() => (onClose(), editor.focus())}>
        Cancel
      </button>
      {error && (
        <p id="link-url-error" className="linked__error" role="alert">
          {error}
        </p>
      )}
    </form>
  );
}

const PATHS: Record<string, string> = {
  undo: 'M9 14 4 9l5-5M4 9h10.5a5.5 5.5 0 0 1 0 11H11',
  redo: 'm15 14 5-5-5-5M20 9H9.5a5.5 5.5 0 0 0 0 11H13',
  link: 'M10 13a5 5 0 0 0 7.5.5l3-3a5 5 0 0 0-7-7l-1.7 1.7M14 11a5 5 0 0 0-7.5-.5l-3 3a5 5 0 0 0 7 7l1.7-1.7',
  bullets: 'M9 6h11M9 12h11M9 18h11M4.5 6h.01M4.5 12h.01M4.5 18h.01',
  numbers: 'M10 6h10M10 12h10M10 18h10M4 6h1v4M4 10h2M6 18H4c0-1 2-2 2-3s-1-1.5-2-1',
  quote: 'M3 21c3 0 7-1 7-8V5H3v7h4c0 4-2 6-4 6zM14 21c3 0 7-1 7-8V5h-7v7h4c0 4-2 6-4 6z',
  table: 'M3 4h18v16H3zM3 10h18M3 15h18M9 4v16M15 4v16',
  figure: 'M4 19V5M4 19h16M8 15l4-5 3 3 4-6',
  chart: 'M4 20V10M10 20V4M16 20v-7M2 20h20',
  cite: 'M7 7h10M7 11h10M7 15h6M5 3h14a2 2 0 0 1 2 2v14l-4-3H5a2 2 0 0 1-2-2V5a2 2 0 0 1 2-2z',
  pagebreak: 'M4 3v5h16V3M4 21v-5h16v5M2 12h3M9 12h6M19 12h3',
  comment: 'M21 15a2 2 0 0 1-2 2H7l-4 4V5a2 2 0 0 1 2-2h14a2 2 0 0 1 2 2z',
  search: 'M11 18a7 7 0 1 0 0-14 7 7 0 0 0 0 14zM21 21l-4.35-4.35',
  up: 'm18 15-6-6-6 6',
  down: 'm6 9 6 6 6-6',
  close: 'M18 6 6 18M6 6l12 12',
  plus: 'M12 5v14M5 12h14',
  grip: 'M9 5h.01M9 12h.01M9 19h.01M15 5h.01M15 12h.01M15 19h.01',
  pencil: 'M17 3a2.8 2.8 0 1 1 4 4L7.5 20.5 2 22l1.5-5.5z',
  trash: 'M3 6h18M8 6V4h8v2M19 6l-1 14H6L5 6',
};

export function Icon({ name }: { name: keyof typeof PATHS | string }) {
  return (
    <svg className="ed-icon" viewBox="0 0 24 24" width="16" height="16" aria-hidden="true" focusable="false">
      <path d={PATHS[name] ?? ''} fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round" />
    </svg>
  );
}
