/**
 * Photos hidden with "Not me": their positions in the result set ("data" positions), and the mapping between
 * the positions the gallery shows ("view" positions, hidden photos skipped) and the data positions. Hiding
 * needs no reload. No DOM: unit-tested in test/widgets/unit/hidden.test.ts.
 */
export class HiddenPositions {
  /** Data positions, ascending. */
  #list: number[] = [];

  /** How many photos are hidden. */
  get size(): number {
    return this.#list.length;
  }

  /** The hidden data positions, ascending. */
  get positions(): readonly number[] {
    return this.#list;
  }

  /** Hides the photo at data position `data` (once). */
  add(data: number): void {
    const at = this.#list.findIndex((h) => h >= data);
    if (this.#list[at] === data) return;
    this.#list.splice(at < 0 ? this.#list.length : at, 0, data);
  }

  clear(): void {
    this.#list = [];
  }

  /** The data position of the photo shown at `view`. */
  toData(view: number): number {
    let d = view;
    for (const h of this.#list) {
      if (h <= d) d++;
      else break;
    }
    return d;
  }

  /** The view position of data position `data` (of the next shown photo when `data` is hidden). */
  toView(data: number): number {
    let hidden = 0;
    for (const h of this.#list) if (h < data) hidden++;
    return data - hidden;
  }
}
