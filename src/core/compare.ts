/**
 * Plain code-unit order for sorting names, digests and ISO timestamps.
 * String.prototype.localeCompare's first call builds an ICU collator, about
 * 15 ms of a `bench ctr run` that otherwise starts in a few dozen; these
 * strings are ASCII identifiers that need no linguistic order anyway.
 */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
