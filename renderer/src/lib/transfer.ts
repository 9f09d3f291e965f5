import { createContext, useContext } from 'react';

/**
 * Opens the dialogs that move work between workspaces from anywhere in the shell (the Data screen, the menu):
 * bringing an inspector's workspace in, and making one for an inspector.
 */
export interface Transfer {
  bringIn: () => void;
  exportForInspector: () => void;
}
export const TransferContext = createContext<Transfer>({ bringIn: () => undefined, exportForInspector: () => undefined });
export const useTransfer = (): Transfer => useContext(TransferContext);
