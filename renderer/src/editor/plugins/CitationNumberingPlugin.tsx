import { useEffect } from 'react';
import { useLexicalComposerContext } from '@lexical/react/LexicalComposerContext';
import { $getRoot, $isElementNode, type LexicalNode } from 'lexical';
import type { EditorServices } from '../store';
import { $isEvidenceCitationNode, EvidenceCitationNode } from '../nodes/EvidenceCitationNode';

/**
 * Numbers citation markers in reading order, one number per evidence source (its first citation sets it), like a
 * reference list. Runs only when a citation is created, changed or removed, not on ordinary typing.
 */
export function CitationNumberingPlugin({ services }: { services: EditorServices }) {
  const [editor] = useLexicalComposerContext();
  useEffect(() => {
    const renumber = () => {
      editor.getEditorState().read(() => {
        const byEvidence = new Map<string, number>();
        const seen = new Set<string>();
        const walk = (node: LexicalNode) => {
          if ($isEvidenceCitationNode(node)) {
            const id = node.getEvidenceId();
            if (!byEvidence.has(id)) byEvidence.set(id, byEvidence.size + 1);
            services.citations.set(node.getKey(), byEvidence.get(id)!);
            seen.add(node.getKey());
          } else if ($isElementNode(node)) {
            for (const child of node.getChildren()) walk(child);
          }
        };
        walk($getRoot());
        for (const k of [...services.citations.keys()]) if (!seen.has(k)) services.citations.delete(k);
      });
    };
    return editor.registerMutationListener(EvidenceCitationNode, renumber);
  }, [editor, services]);
  return null;
}
