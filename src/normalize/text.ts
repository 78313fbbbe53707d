/** Text keys for matching labels: what survives line breaks, spaces, widths and list marks. */
import { foldCompatibility } from '../extract/model.ts';

/** NFKC, no whitespace, one kind of quote, `1、` → `1.`, full-width brackets → ASCII. */
export function labelKey(text: string): string {
  // The same labels come back in every report (and several times in each): remembered, up to a bound.
  let key = keys.get(text);
  if (key === undefined) {
    if (keys.size >= MAX_KEYS) keys.clear();
    keys.set(text, (key = computeLabelKey(text)));
  }
  return key;
}

const keys = new Map<string, string>();
const MAX_KEYS = 50_000;

function computeLabelKey(text: string): string {
  return foldCompatibility(text)
    .replace(/[\s\u00a0\u200b\ufeff]+/gu, '')
    .replace(/[“”„‟"'‘’「」『』]/gu, '"')
    .replace(/[【〔［]/gu, '[')
    .replace(/[】〕］]/gu, ']')
    .replace(/(^|[^\d])(\d{1,2})[、,，．.](?!\d)/gu, '$1$2.')
    .replace(/[：]/gu, ':');
}

/** Text with all whitespace removed, for searching narrative sentences. */
export function compact(text: string): string {
  return foldCompatibility(text).replace(/[\s\u00a0\u200b\ufeff]+/gu, '');
}
