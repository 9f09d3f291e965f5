export const SENSITIVITY_LABELS: Record<string, string> = {
  public: 'Public',
  official: 'Official',
  'official-sensitive': 'Official-sensitive',
  personal: 'Personal',
};

/** Evidence that must never reach a public export (DESIGN: "Restricted evidence never appears in a public export"). */
export function isRestricted(sensitivity: string): boolean {
  return sensitivity === 'official-sensitive' || sensitivity === 'personal';
}
