import { BpeJSON, BpeTokenizer } from './bpe';
import { WordPieceJSON, WordPieceTokenizer } from './wordpiece';

/** Reads a saved subword tokenizer (the JSON of `BpeTokenizer` or `WordPieceTokenizer`), by its `type`. */
export function loadTokenizer(json: string | BpeJSON | WordPieceJSON): BpeTokenizer | WordPieceTokenizer {
  const obj = (typeof json === 'string' ? JSON.parse(json) : json) as { type?: unknown };
  if (obj?.type === 'bpe') return BpeTokenizer.fromJSON(obj as BpeJSON);
  if (obj?.type === 'wordpiece') return WordPieceTokenizer.fromJSON(obj as WordPieceJSON);
  throw new Error(`loadTokenizer: unknown tokenizer type ${JSON.stringify(obj?.type)} (expected 'bpe' or 'wordpiece')`);
}
