// The AWS account id in ARNs, for mask-aws-account-id: found in any text, and hidden where the
// runner's masking is not known to apply (the job summary, the pull-request comment).

// The account field of an ARN of any partition and service, the region possibly empty (IAM, STS).
const ARN_ACCOUNT = /\barn:aws[a-z-]*:[a-z0-9-]+:[a-z0-9-]*:(\d{12}):/g;

export const HIDDEN_ACCOUNT_ID = '<account-id>';

/** The account ids of every ARN in `text`, each once. */
export function accountIdsIn(text: string): string[] {
  return [...new Set([...text.matchAll(ARN_ACCOUNT)].map((match) => match[1] ?? ''))];
}

/** `text` with the account field of every ARN, and every bare occurrence of `known`, replaced. */
export function hideAccountIds(text: string, known: readonly string[]): string {
  const fields = text.replace(ARN_ACCOUNT, (arnStart, id: string) =>
    arnStart.replace(`:${id}:`, `:${HIDDEN_ACCOUNT_ID}:`),
  );
  return known.reduce((hidden, id) => hidden.replaceAll(id, HIDDEN_ACCOUNT_ID), fields);
}
