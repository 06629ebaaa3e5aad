// Pinyin initials of Chinese text, so a clerk can find 美团 by typing "mt". No dictionary: the
// zh-CN collation (ICU, in Chromium and Node) sorts characters by pinyin, and the first character
// of each initial letter marks where that letter begins.
const BOUNDARIES = [...'阿八嚓哒妸发旮哈讥咔垃痳拏噢妑七呥扨它穵夕丫帀'];
const LETTERS = 'abcdefghjklmnopqrstwxyz';
const HAN = /\p{Script=Han}/u;
const collator = new Intl.Collator('zh-CN');

function initial(ch: string): string {
  if (!HAN.test(ch)) return ch.toLowerCase();
  let found = -1;
  for (let i = 0; i < BOUNDARIES.length; i += 1) if (collator.compare(BOUNDARIES[i]!, ch) <= 0) found = i;
  return found < 0 ? ch : LETTERS[found]!;
}

export function pinyinInitials(text: string): string {
  return [...text].map(initial).join('');
}

/** True when what was typed is part of the label, or of its pinyin initials (ignoring case and spaces). */
export function matchesTyped(label: string, typed: string): boolean {
  const t = typed.replace(/\s+/g, '').toLowerCase();
  if (!t) return true;
  return label.toLowerCase().includes(t) || pinyinInitials(label).includes(t);
}
