/** The Public header of an OPTIONS reply (RFC 2326 §12.28): the methods a server supports. */

/** Upper-cased method names; empty without the header. */
export function parsePublic(value: string | undefined): Set<string> {
  const methods = new Set<string>();
  for (const method of value?.split(',') ?? []) {
    const name = method.trim().toUpperCase();
    if (name !== '') methods.add(name);
  }
  return methods;
}
