/**
 * Colours that pass WCAG AA in both schemes. Mantine's palettes are light:
 * its filled shade (6) under white text, and its coloured text on white or on a
 * tinted row, mostly miss 4.5:1 (red 3.3, orange 2.6). This resolver picks, per
 * colour, the first shade that passes — or shade 9 darkened until it does — for
 * filled backgrounds and for coloured text (`c="red"`, light badges, active nav).
 * In the dark scheme filled backgrounds keep white text (the same shades), and
 * coloured and dimmed text are lightened until they pass on the dark surfaces.
 */
import { type CSSVariablesResolver, darken, lighten, luminance, type MantineColorsTuple } from '@mantine/core';

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

/** `hex` at `alpha` over `under`: what Mantine's `-light` backgrounds (shade 6 at 10 % light, 15 % dark) look like. */
const over = (hex: string, alpha: number, under = '#ffffff'): string => {
  const base = rgbOf(under);
  return `rgb(${rgbOf(hex).map((c, i) => Math.round(base[i]! * (1 - alpha) + c * alpha)).join(', ')})`;
};
const overWhite = (hex: string, alpha: number): string => over(hex, alpha);

/** The first shade from `from` that passes on every background, else shade 9 darkened step by step until it does. */
function passing(shades: MantineColorsTuple, from: number, backgrounds: string[]): string {
  const passes = (color: string) => backgrounds.every((bg) => ratio(color, bg) >= AA);
  for (let shade = from; shade < 10; shade++) if (passes(shades[shade]!)) return shades[shade]!;
  let color = shades[9];
  for (let step = 1; step <= 12 && !passes(color); step++) color = darken(shades[9], step * 0.05);
  return color;
}

/** The first of `candidates` that passes on every background, else the last one lightened step by step until it does. */
function passingLight(candidates: string[], backgrounds: string[]): string {
  const passes = (color: string) => backgrounds.every((bg) => ratio(color, bg) >= AA);
  const found = candidates.find(passes);
  if (found) return found;
  const last = candidates.at(-1)!;
  let color = last;
  for (let step = 1; step <= 12 && !passes(color); step++) color = lighten(last, step * 0.05);
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

  const dark: Record<string, string> = {};
  const d = theme.colors.dark;
  // Where text sits in the dark scheme: the body and dropdowns (dark-7), the panels (dark-8), inputs and
  // default buttons (dark-6), hovered rows (dark-5), and the open row's indigo tint.
  const darkSurfaces = [d[7], d[8], d[6], d[5], over(theme.colors.indigo[6], 0.15, d[7])];
  for (const [name, shades] of Object.entries(theme.colors)) {
    if (name === 'dark') continue;
    const filled = light[`--mantine-color-${name}-filled`]!;
    // From Mantine's dark text shade (4) towards the lightest.
    // Its own light tint (light badges) over the body and over a hovered or picked row (up to dark-4).
    const text = passingLight([shades[4], shades[3], shades[2], shades[1], shades[0]], [...darkSurfaces, over(shades[6], 0.15, d[7]), over(shades[6], 0.15, d[4])]);
    dark[`--mantine-color-${name}-filled`] = filled;
    dark[`--mantine-color-${name}-filled-hover`] = darken(filled, 0.1);
    dark[`--mantine-color-${name}-text`] = text;
    dark[`--mantine-color-${name}-light-color`] = text;
  }
  dark['--mantine-color-anchor'] = dark[`--mantine-color-${theme.primaryColor}-text`]!;
  // Mantine's dimmed (dark-2) is 4:1 on the body and less on inputs: lightened until it passes.
  // Also on a row just in (its yellow flash) and on the tinted rows of the lists.
  const tintedRows = ['yellow', 'blue', 'indigo'].map((name) => over(theme.colors[name]![6], 0.15, d[6]));
  dark['--mantine-color-dimmed'] = passingLight([d[2]], [...darkSurfaces, ...tintedRows]);
  return { variables: {}, light, dark };
};
