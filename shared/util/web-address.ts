import { capped, LIMITS } from './limits';

/**
 * A web address a reader can follow from a printed note: http or https, no spaces. One rule for the store, the IPC
 * contract and the evidence importer.
 */
export const webAddress = capped(LIMITS.reference)
  .trim()
  .regex(/^https?:\/\/[^\s/$.?#][^\s]*$/i, 'must be a web address starting https:// (or http://)');
