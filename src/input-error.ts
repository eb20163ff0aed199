/** A bad input: the message names the input and the rule it breaks. */
export class InputError extends Error {
  override name = 'InputError';
}

/** Quotes a bad value for an error message: on one line, shortened, with quotes escaped. */
export function describeValue(value: string): string {
  const oneLine = value.replace(/\s+/g, ' ');
  return JSON.stringify(oneLine.length > 40 ? `${oneLine.slice(0, 40)}...` : oneLine);
}
