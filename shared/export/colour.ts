import { colord, extend } from 'colord';
import a11yPlugin from 'colord/plugins/a11y';

extend([a11yPlugin]);

/** WCAG 2.2's contrast ratio of two colours (1 to 21). */
export function contrastRatio(a: string, b: string): number {
  return colord(a).contrast(b);
}

/**
 * A colour for text on `background` that keeps the hue of `colour` and meets `ratio` (WCAG AA: 4.5 for body text): the
 * colour itself when it already does, else the lightest darkening (or, on a dark background, lightening) that does.
 * A template's accent (#e08a00 on white, 2.69:1) is fine for rules and borders but not for words.
 */
export function readableOn(colour: string, background = '#ffffff', ratio = 4.5): string {
  let c = colord(colour);
  const darken = colord(background).isLight();
  for (let i = 0; i < 100 && c.contrast(background) < ratio; i++) c = darken ? c.darken(0.01) : c.lighten(0.01);
  return c.toHex();
}
