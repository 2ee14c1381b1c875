/**
 * RTSP header fields: ordered, names case-insensitive (RFC 2326 §4.2, as HTTP),
 * a name may repeat (several WWW-Authenticate challenges, for instance).
 * A plain container: wire syntax is checked by the parser and the serializer.
 */
interface HeaderField {
  name: string;
  lowerName: string;
  value: string;
}

export class RtspHeaders {
  readonly #fields: HeaderField[] = [];

  constructor(init?: Iterable<readonly [string, string]> | Record<string, string>) {
    if (init === undefined) return;
    const pairs = isIterable(init) ? init : Object.entries(init);
    for (const [name, value] of pairs) this.append(name, value);
  }

  get size(): number {
    return this.#fields.length;
  }

  /** The first value of `name`. */
  get(name: string): string | undefined {
    const lowerName = name.toLowerCase();
    return this.#fields.find((field) => field.lowerName === lowerName)?.value;
  }

  getAll(name: string): string[] {
    const lowerName = name.toLowerCase();
    const values: string[] = [];
    for (const field of this.#fields) if (field.lowerName === lowerName) values.push(field.value);
    return values;
  }

  has(name: string): boolean {
    return this.get(name) !== undefined;
  }

  /** Replaces every value of `name` by one, kept at the position of the first. */
  set(name: string, value: string): this {
    const lowerName = name.toLowerCase();
    const first = this.#fields.findIndex((field) => field.lowerName === lowerName);
    if (first < 0) return this.append(name, value);
    this.#fields[first] = { name, lowerName, value };
    for (let i = this.#fields.length - 1; i > first; i--) {
      if (this.#fields[i]?.lowerName === lowerName) this.#fields.splice(i, 1);
    }
    return this;
  }

  append(name: string, value: string): this {
    this.#fields.push({ name, lowerName: name.toLowerCase(), value });
    return this;
  }

  delete(name: string): this {
    const lowerName = name.toLowerCase();
    for (let i = this.#fields.length - 1; i >= 0; i--) {
      if (this.#fields[i]?.lowerName === lowerName) this.#fields.splice(i, 1);
    }
    return this;
  }

  /** `[name, value]` pairs, names in their original case, in order. */
  *[Symbol.iterator](): IterableIterator<[string, string]> {
    for (const field of this.#fields) yield [field.name, field.value];
  }

  /** Lower-cased names; a repeated name's values joined with ', ' (RFC 2616 §4.2). */
  toRecord(): Record<string, string> {
    const joined = new Map<string, string>();
    for (const { lowerName, value } of this.#fields) {
      const previous = joined.get(lowerName);
      joined.set(lowerName, previous === undefined ? value : `${previous}, ${value}`);
    }
    // fromEntries defines own properties, so a peer's `__proto__` header stays a plain key.
    return Object.fromEntries(joined);
  }
}

function isIterable(
  init: Iterable<readonly [string, string]> | Record<string, string>,
): init is Iterable<readonly [string, string]> {
  return typeof (init as Partial<Iterable<unknown>>)[Symbol.iterator] === 'function';
}
