// What a guide quotes as the action's messages: its ```text blocks. A quote must be the text the
// action prints, produced by calling the function in src/ that words it, or a part of that text.

import { expect } from 'vitest';

import { codeBlocks } from './markdown.js';

/** The one-line ```text blocks of a guide. */
export function quotedMessages(markdown: string): string[] {
  return codeBlocks(markdown)
    .filter((block) => block.language === 'text')
    .map((block) => block.text.replace(/\n$/, ''));
}

/**
 * Every quote is a part (40 characters or more) of a message the action prints, and every one of
 * those messages is quoted, whole or in part, so the guide and src/ cannot drift apart silently.
 */
export function expectQuotesToMatch(quotes: readonly string[], messages: readonly string[]): void {
  expect(quotes.length).toBeGreaterThan(0);
  for (const quote of quotes) {
    expect(quote.length, `too short to search for: ${quote}`).toBeGreaterThanOrEqual(40);
    expect(
      messages.some((message) => message.includes(quote)),
      `quoted, but not printed by the action:\n${quote}\n\nclosest printed messages:\n${closest(quote, messages)}`,
    ).toBe(true);
  }
  for (const message of messages) {
    expect(
      quotes.some((quote) => message.includes(quote)),
      `printed by the action, but not quoted:\n${message}`,
    ).toBe(true);
  }
}

/** The messages that share the longest start with the quote, to make a failure easy to read. */
function closest(quote: string, messages: readonly string[]): string {
  const shared = (message: string): number => {
    let length = 0;
    while (length < quote.length && quote[length] === message[length]) length += 1;
    return length;
  };
  return [...messages]
    .sort((a, b) => shared(b) - shared(a))
    .slice(0, 2)
    .join('\n');
}
