/** Minimal ANSI styling; plain when output is not a terminal or NO_COLOR is set. */
export interface Style {
  bold(s: string): string;
  dim(s: string): string;
  green(s: string): string;
  red(s: string): string;
  yellow(s: string): string;
}

const id = (s: string): string => s;

export const plainStyle: Style = { bold: id, dim: id, green: id, red: id, yellow: id };

const wrap =
  (open: number, close: number) =>
  (s: string): string =>
    `\u001b[${open}m${s}\u001b[${close}m`;

export const ansiStyle: Style = {
  bold: wrap(1, 22),
  dim: wrap(2, 22),
  green: wrap(32, 39),
  red: wrap(31, 39),
  yellow: wrap(33, 39),
};

/** Pick a style for a stream. */
export function styleFor(isTTY: boolean, env: Record<string, string | undefined>): Style {
  return isTTY && env['NO_COLOR'] === undefined ? ansiStyle : plainStyle;
}
