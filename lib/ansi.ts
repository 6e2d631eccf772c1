/**
 * ANSI colours, applied only where the output allows them.
 *
 * @module
 */

const CODES = {
  bold: [1, 22],
  dim: [2, 22],
  red: [31, 39],
  green: [32, 39],
  yellow: [33, 39],
  cyan: [36, 39],
} as const;

/** A colour or weight {@linkcode paint} can apply. */
export type Style = keyof typeof CODES;

/** Wraps `text` in ANSI codes when the output allows colour. */
export function paint(output: { readonly color: boolean }, style: Style, text: string): string {
  if (!output.color) return text;
  const [open, close] = CODES[style];
  return `\x1b[${open}m${text}\x1b[${close}m`;
}
