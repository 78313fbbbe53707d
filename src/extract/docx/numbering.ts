/**
 * Word/WPS automatic numbering rebuilt from numbering.xml (and paragraph styles carrying numPr), so
 * that headings read "一、总体情况" and "（二）依申请公开" as they print; mammoth drops these numbers.
 */
import { type XNode, child, intVal, isOn, kids, path, val } from './xml.ts';

interface Level {
  start: number;
  fmt: string;
  text: string;
  /** w:lvlRestart: restart after a use of this 1-based level; 0 = never; undefined = any higher level. */
  restart?: number;
  legal: boolean;
  suff: string;
  pStyle?: string;
}

/** What a paragraph's properties say about its numbering (w:numPr, w:pStyle). */
export interface ParaNumbering {
  numId?: string;
  ilvl?: number;
  pStyle?: string;
}

interface Num {
  abs: string;
  /** Per-level overrides: a new start and/or a whole level definition. */
  over: Map<number, { start?: number; level?: Level }>;
}

const DIGITS = '〇一二三四五六七八九';
const LEGAL = '零壹贰叁肆伍陆柒捌玖';

/** 一 … 十, 十一, 二十一, 一百零五, 一千二百: Word's chineseCounting(Thousand) for the usual range. */
function chinese(n: number, d = DIGITS, units = ['', '十', '百', '千']): string {
  if (n <= 0 || n >= 10000) return String(n);
  const s = String(n);
  let out = '';
  let zero = false;
  for (let i = 0; i < s.length; i++) {
    const k = +s[i];
    const unit = units[s.length - 1 - i];
    if (k === 0) {
      zero = out !== '';
      continue;
    }
    if (zero) out += '零'; // 一百零五: counting writes 零, not the digit 〇
    zero = false;
    // 十一 not 一十一 when ten is the leading unit
    out += k === 1 && unit === units[1] && out === '' ? unit : d[k] + unit;
  }
  return out;
}

function letters(n: number, upper: boolean): string {
  const ch = String.fromCharCode((upper ? 65 : 97) + ((n - 1) % 26));
  return ch.repeat(Math.floor((n - 1) / 26) + 1);
}

function roman(n: number): string {
  const t: [number, string][] = [[1000, 'M'], [900, 'CM'], [500, 'D'], [400, 'CD'], [100, 'C'], [90, 'XC'], [50, 'L'], [40, 'XL'], [10, 'X'], [9, 'IX'], [5, 'V'], [4, 'IV'], [1, 'I']];
  let out = '';
  for (const [v, s] of t) while (n >= v) (out += s), (n -= v);
  return out;
}

const enclosed = (n: number, base: number) => (n >= 1 && n <= 20 ? String.fromCodePoint(base + n - 1) : String(n));

export function formatNumber(n: number, fmt: string): string {
  switch (fmt) {
    case 'chineseCounting': case 'chineseCountingThousand': case 'japaneseCounting': case 'taiwaneseCounting':
    case 'taiwaneseCountingThousand': case 'koreanCounting':
      return chinese(n);
    case 'chineseLegalSimplified': case 'japaneseLegal': case 'koreanLegal':
      return chinese(n, LEGAL, ['', '拾', '佰', '仟']);
    case 'ideographDigital': case 'taiwaneseDigital': case 'koreanDigital': case 'japaneseDigitalTenThousand':
      return [...String(n)].map((c) => DIGITS[+c]).join('');
    case 'ideographTraditional': return '甲乙丙丁戊己庚辛壬癸'[(n - 1) % 10] ?? String(n);
    case 'ideographZodiac': return '子丑寅卯辰巳午未申酉戌亥'[(n - 1) % 12] ?? String(n);
    case 'decimalEnclosedCircle': case 'decimalEnclosedCircleChinese': case 'ideographEnclosedCircle':
      return enclosed(n, 0x2460);
    case 'decimalEnclosedParen': return enclosed(n, 0x2474);
    case 'decimalEnclosedFullstop': return enclosed(n, 0x2488);
    case 'decimalFullWidth': case 'decimalFullWidth2':
      return [...String(n)].map((c) => String.fromCharCode(0xff10 + +c)).join('');
    case 'decimalZero': return n < 10 ? `0${n}` : String(n);
    case 'upperLetter': return letters(n, true);
    case 'lowerLetter': return letters(n, false);
    case 'upperRoman': return roman(n);
    case 'lowerRoman': return roman(n).toLowerCase();
    case 'none': return '';
    default: return String(n); // decimal, ordinal, cardinalText…: digits are what matters here
  }
}

function readLevel(lvl: XNode): Level {
  const restart = child(lvl, 'w:lvlRestart');
  return {
    start: intVal(child(lvl, 'w:start'), 0),
    fmt: val(child(lvl, 'w:numFmt')) ?? 'decimal',
    text: val(child(lvl, 'w:lvlText')) ?? '',
    restart: restart ? intVal(restart, 0) : undefined,
    legal: isOn(child(lvl, 'w:isLgl')),
    suff: val(child(lvl, 'w:suff')) ?? 'tab',
    pStyle: val(child(lvl, 'w:pStyle')),
  };
}

export class Numbering {
  private abstracts = new Map<string, Map<number, Level>>();
  private nums = new Map<string, Num>();
  private styles = new Map<string, { numId?: string; ilvl?: number; basedOn?: string }>();
  /** Counters per list: the abstract numbering, unless the num instance overrides levels (Word restarts those). */
  private counters = new Map<string, (number | undefined)[]>();

  constructor(numbering?: XNode, styles?: XNode) {
    const root = numbering && child(numbering, 'w:numbering');
    for (const a of kids(root)) {
      if (a.name === 'w:abstractNum') {
        const levels = new Map<number, Level>();
        for (const l of kids(a)) if (l.name === 'w:lvl') levels.set(parseInt(val(l, 'w:ilvl') ?? '0', 10) || 0, readLevel(l));
        this.abstracts.set(val(a, 'w:abstractNumId') ?? '', levels);
      } else if (a.name === 'w:num') {
        const over = new Map<number, { start?: number; level?: Level }>();
        for (const o of kids(a)) {
          if (o.name !== 'w:lvlOverride') continue;
          const so = child(o, 'w:startOverride');
          const lvl = child(o, 'w:lvl');
          over.set(parseInt(val(o, 'w:ilvl') ?? '0', 10), { start: so ? intVal(so, 0) : undefined, level: lvl ? readLevel(lvl) : undefined });
        }
        this.nums.set(val(a, 'w:numId') ?? '', { abs: val(child(a, 'w:abstractNumId')) ?? '', over });
      }
    }
    for (const s of kids(styles && child(styles, 'w:styles'))) {
      if (s.name !== 'w:style' || val(s, 'w:type') !== 'paragraph') continue;
      const numPr = path(s, 'w:pPr', 'w:numPr');
      const ilvl = child(numPr, 'w:ilvl');
      this.styles.set(val(s, 'w:styleId') ?? '', {
        numId: val(child(numPr, 'w:numId')),
        ilvl: ilvl ? intVal(ilvl, 0) : undefined,
        basedOn: val(child(s, 'w:basedOn')),
      });
    }
  }

  get empty(): boolean {
    return this.nums.size === 0;
  }

  private level(num: Num, ilvl: number): Level | undefined {
    return num.over.get(ilvl)?.level ?? this.abstracts.get(num.abs)?.get(ilvl);
  }

  /** numId/ilvl of a paragraph: its own numPr, else its style's (following basedOn). */
  private resolve(p: ParaNumbering): { numId: string; ilvl: number } | undefined {
    let numId = p.numId;
    let ilvl = p.ilvl;
    let styleId = p.pStyle;
    for (let hops = 0; numId === undefined && styleId && hops < 20; hops++) {
      const st = this.styles.get(styleId);
      if (!st) break;
      if (st.numId !== undefined) {
        numId = st.numId;
        ilvl ??= st.ilvl;
      }
      styleId = st.basedOn;
    }
    if (numId === undefined || numId === '0') return undefined;
    if (ilvl === undefined) {
      // style-linked lists: the level whose w:pStyle names the paragraph's style
      const num = this.nums.get(numId);
      const levels = num ? this.abstracts.get(num.abs) : undefined;
      for (const [i, l] of levels ?? []) if (l.pStyle && l.pStyle === p.pStyle) ilvl = i;
    }
    return { numId, ilvl: ilvl ?? 0 };
  }

  /** The label Word prints before this paragraph ("一、", "（二）", "1."), advancing the counters. */
  next(p: ParaNumbering): string | undefined {
    if (this.nums.size === 0) return undefined;
    const r = this.resolve(p);
    if (!r) return undefined;
    const num = this.nums.get(r.numId);
    const lvl = num && this.level(num, r.ilvl);
    if (!num || !lvl) return undefined;
    const key = num.over.size ? `n${r.numId}` : `a${num.abs}`;
    let counts = this.counters.get(key);
    if (!counts) {
      counts = [];
      this.counters.set(key, counts);
    }
    const startOf = (i: number) => num.over.get(i)?.start ?? this.level(num, i)?.start ?? 0;
    counts[r.ilvl] = counts[r.ilvl] === undefined ? startOf(r.ilvl) : counts[r.ilvl]! + 1;
    for (let i = r.ilvl + 1; i < 9; i++) {
      const l = this.level(num, i);
      const restart = l?.restart === undefined ? true : l.restart !== 0 && r.ilvl < l.restart;
      if (restart) counts[i] = undefined;
    }
    if (lvl.fmt === 'bullet') return undefined; // a bullet carries no number
    const label = lvl.text.replace(/%([1-9])/g, (_, k: string) => {
      const i = +k - 1;
      const l = this.level(num, i);
      const n = counts![i] ?? startOf(i);
      return formatNumber(n, lvl.legal ? 'decimal' : (l?.fmt ?? 'decimal'));
    });
    if (!label) return undefined;
    return lvl.suff !== 'nothing' && /[\p{L}\p{N}]$/u.test(label) ? `${label} ` : label;
  }
}
