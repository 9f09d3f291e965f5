import { useState } from 'react';
import { call, toIpcError } from '../lib/api';
import { Icon } from './bits';
import { useToast } from './Toast';

/** Saves bytes the host sent back as a download, under the attachment's own name. */
function download(name: string, mediaType: string, base64: string): void {
  const bin = atob(base64);
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  const url = URL.createObjectURL(new Blob([bytes], { type: mediaType || 'application/octet-stream' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/**
 * An evidence source's attached file, as a button that opens it: in the system's viewer in the desktop app, or as a
 * download in a browser. The host checks the file's content hash first and refuses, naming the file, when it no longer
 * matches.
 */
export function AttachmentLink(props: { evidenceId: string; name: string; hash?: string | null; size?: number }) {
  const toast = useToast();
  const [busy, setBusy] = useState(false);
  const open = async () => {
    setBusy(true);
    try {
      const r = await call('attachments.open', { evidenceId: props.evidenceId });
      if (r.opened) toast(`Opened “${r.name}”`);
      else {
        download(r.name, r.mediaType, r.base64);
        toast(`“${r.name}” downloaded`);
      }
    } catch (e) {
      toast(toIpcError(e).message, 'error');
    } finally {
      setBusy(false);
    }
  };
  return (
    <button
      type="button"
      className="btn btn--ghost btn--small attachment attachment--open"
      onClick={() => void open()}
      disabled={busy}
      aria-label={`Open the attached file “${props.name}”`}
      title={props.hash ? `SHA-256 ${props.hash}` : undefined}
    >
      <Icon name="paperclip" size={15} /> {props.name}
    </button>
  );
}
