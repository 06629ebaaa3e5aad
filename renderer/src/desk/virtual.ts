// Long lists are virtualised (only the rows in view are drawn, so thousands of rows scroll
// smoothly); short ones stay ordinary tables, which screen readers and keyboards read as tables.
export const VIRTUAL_FROM = 200;

export function listProps(rows: number, height: number, width: number) {
  return rows > VIRTUAL_FROM
    ? { virtual: true, scroll: { y: height, x: width }, pagination: false as const }
    : { scroll: { x: width }, pagination: false as const };
}
