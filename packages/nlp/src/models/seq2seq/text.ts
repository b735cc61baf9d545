/** Word-level tokens of Bible verses for translation: lower-cased words and punctuation marks. */
export const verseTokens = (s: string): string[] => s.toLowerCase().match(/[\p{L}\p{N}]+|[^\s\p{L}\p{N}]/gu) ?? [];

/** Joins tokens back into text: no space before , . ; : ? ! ) and none after ( ¿ ¡. */
export const detokenize = (t: readonly string[]): string => t.join(' ').replace(/ ([,.;:?!)])/g, '$1').replace(/([(¿¡]) /g, '$1');
