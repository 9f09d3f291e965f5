import { createContext, useContext } from 'react';

/** Opens the import wizard from anywhere in the shell (Home's quick actions, the Data screen, the menu). */
export const ImportWizardContext = createContext<{ open: () => void }>({ open: () => undefined });
export const useImportWizard = (): { open: () => void } => useContext(ImportWizardContext);
