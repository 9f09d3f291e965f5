import { useEffect, type RefObject } from 'react';

/** The controls of a toolbar a keyboard moves between: enabled and shown. */
function controls(root: HTMLElement): HTMLElement[] {
  return Array.from(root.querySelectorAll<HTMLElement>('button, select, input, a[href]')).filter(
    (el) => !(el as HTMLButtonElement).disabled && el.getClientRects().length > 0,
  );
}

/**
 * A toolbar as WAI-ARIA's toolbar pattern has it: one Tab stop (the control last used, or the first), and the arrow
 * keys (Left/Right, Home/End) move between its controls, skipping disabled ones. Tab leaves the toolbar, so a keyboard
 * user reaches the text after one key press rather than sixteen.
 */
export function useRovingToolbar(ref: RefObject<HTMLElement | null>): void {
  useEffect(() => {
    const root = ref.current;
    if (!root) return;
    let current: HTMLElement | null = null;
    const sync = () => {
      const xs = controls(root);
      if (!xs.length) return;
      if (!current || !xs.includes(current)) current = xs[0]!;
      for (const el of root.querySelectorAll<HTMLElement>('button, select, input, a[href]')) el.tabIndex = el === current ? 0 : -1;
    };
    sync();
    // Controls are enabled and disabled as the selection moves (undo, redo): the Tab stop follows.
    const observer = new MutationObserver(sync);
    observer.observe(root, { subtree: true, childList: true, attributes: true, attributeFilter: ['disabled'] });
    const onFocus = (e: FocusEvent) => {
      const t = e.target as HTMLElement;
      if (controls(root).includes(t)) {
        current = t;
        sync();
      }
    };
    const onKey = (e: KeyboardEvent) => {
      if (e.altKey || e.ctrlKey || e.metaKey) return;
      const xs = controls(root);
      const i = xs.indexOf(document.activeElement as HTMLElement);
      if (i < 0) return;
      let j = -1;
      if (e.key === 'ArrowRight') j = (i + 1) % xs.length;
      else if (e.key === 'ArrowLeft') j = (i - 1 + xs.length) % xs.length;
      else if (e.key === 'Home') j = 0;
      else if (e.key === 'End') j = xs.length - 1;
      if (j < 0) return;
      // A text style list keeps Up and Down for its own choices; Left and Right move on, as everywhere in the toolbar.
      e.preventDefault();
      current = xs[j]!;
      sync();
      current.focus();
    };
    root.addEventListener('focusin', onFocus);
    root.addEventListener('keydown', onKey);
    return () => {
      observer.disconnect();
      root.removeEventListener('focusin', onFocus);
      root.removeEventListener('keydown', onKey);
    };
  }, [ref]);
}
