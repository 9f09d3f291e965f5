/** Pure import logic: no Node, no DOM. Readers (Node streams, a browser File) feed rows to an importer. */
export * from './problems';
export * from './dates';
export * from './encoding';
export * from './table';
export * from './mapping';
export * from './cqc-ratings';
export * from './indicators';
export * from './evidence';
