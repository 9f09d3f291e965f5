/** Word's units: colours without '#', sizes in half-points, spacing in twentieths of a point. */
export const hex = (c: string) => c.replace('#', '').toUpperCase();
export const pt = (n: number) => Math.round(n * 2);
export const twipPt = (n: number) => Math.round(n * 20);
