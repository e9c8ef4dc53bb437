/**
 * Colours that pass WCAG AA in the light scheme. Mantine's palettes are light:
 * its filled shade (6) under white text, and its coloured text on white or on a
 * tinted row, mostly miss 4.5:1 (red 3.3, orange 2.6). This resolver picks, per
 * colour, the first shade that passes — or shade 9 darkened until it does — for
 * filled backgrounds and for coloured text (`c="red"`, light badges, active nav).
 */
import { type CSSVariablesResolver, darken, luminance, type MantineColorsTuple } from '@mantine/core';

/** A little over 4.5:1: the tinted backgrounds are blends, measured here the way axe measures them. */
const AA = 4.6;

const ratio = (a: string, b: string): number => {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
};

const rgbOf = (hex: string): [number, number, number] => {
  const n = Number.parseInt(hex.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
};

/** `hex` at `alpha` over white: what Mantine's `-light` backgrounds (shade 6 at 10 %) look like. */
const overWhite = (hex: string, alpha: number): string => `rgb(${rgbOf(hex).map((c) => Math.round(255 * (1 - alpha) + c * alpha)).join(', ')})`;

/** The first shade from `from` that passes on every background, else shade 9 darkened step by step until it does. */
function passing(shades: MantineColorsTuple, from: number, backgrounds: string[]): string {
  const passes = (color: string) => backgrounds.every((bg) => ratio(color, bg) >= AA);
  for (let shade = from; shade < 10; shade++) if (passes(shades[shade]!)) return shades[shade]!;
  let color = shades[9];
  for (let step = 1; step <= 12 && !passes(color); step++) color = darken(shades[9], step * 0.05);
  return color;
}

const WHITE = '#ffffff';

export const contrastResolver: CSSVariablesResolver = (theme) => {
  const light: Record<string, string> = {};
  // Where coloured text sits: white, the gray panels, the open/selected row (indigo-0), its own light tint.
  const surfaces = [WHITE, theme.colors.gray[0], theme.colors.gray[1], theme.colors.indigo[0]];
  for (const [name, shades] of Object.entries(theme.colors)) {
    if (name === 'dark') continue;
    const filled = passing(shades, 6, [WHITE]);
    const text = passing(shades, 6, [...surfaces, overWhite(shades[6], 0.1)]);
    light[`--mantine-color-${name}-filled`] = filled;
    light[`--mantine-color-${name}-filled-hover`] = darken(filled, 0.1);
    light[`--mantine-color-${name}-text`] = text;
    light[`--mantine-color-${name}-light-color`] = text;
  }
  light['--mantine-color-anchor'] = light[`--mantine-color-${theme.primaryColor}-text`]!;
  return { variables: {}, light, dark: {} };
};
