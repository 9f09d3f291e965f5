/**
 * Where the repository functions used to live, before each aggregate got its own module (ratings.ts, evidence.ts,
 * findings.ts…). Kept only for the files that still import from here and are not the store's to change: the public
 * view, and the figure engine's and SQL worker's tests. Import from the aggregate's module instead.
 */
export { addRating, deleteRating, updateRating } from './ratings';
export { RESTRICTED_SENSITIVITIES, saveEvidence } from './evidence';
export { saveFinding } from './findings';
