import type { BrowserWindowConstructorOptions, Rectangle } from 'electron';

export interface WindowOptionsInput {
  /** The bridge script; app windows only (print windows have none). */
  preload?: string;
  title: string;
  bounds?: Partial<Rectangle>;
  /** A hidden window for printing: no preload, no scripts. */
  print?: boolean;
  /** The window icon (Windows and Linux; macOS takes the bundle's). */
  icon?: string;
}

/**
 * Every window's options, in one place so the security settings cannot drift between windows: an isolated, sandboxed
 * renderer without Node, with web security, no remote content features it does not need, and (for app windows) only
 * the preload bridge.
 */
export function windowOptions(input: WindowOptionsInput): BrowserWindowConstructorOptions {
  const secure = {
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    experimentalFeatures: false,
    webviewTag: false,
    navigateOnDragDrop: false,
    spellcheck: true,
    safeDialogs: true,
    // Middle-click would otherwise open links in new windows: the app has only its own.
    disableBlinkFeatures: 'Auxclick',
  } as const;
  if (input.print) {
    return {
      show: false,
      width: 794,
      height: 1123,
      title: input.title,
      webPreferences: { ...secure, javascript: false, spellcheck: false },
    };
  }
  return {
    title: input.title,
    width: input.bounds?.width ?? 1360,
    height: input.bounds?.height ?? 880,
    ...(input.bounds?.x !== undefined && input.bounds?.y !== undefined ? { x: input.bounds.x, y: input.bounds.y } : {}),
    minWidth: 900,
    minHeight: 600,
    show: false,
    backgroundColor: '#ffffff',
    ...(input.icon ? { icon: input.icon } : {}),
    webPreferences: { ...secure, ...(input.preload ? { preload: input.preload } : {}) },
  };
}
