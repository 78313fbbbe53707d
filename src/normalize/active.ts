/** 表二: rows found by their label in the 信息内容 column; values taken in order (see format.md). */
import type { TableBlock } from '../extract/model.ts';
import { activeRows, type Template } from '../report/paths.ts';
import type { ValueCell } from '../report/schema.ts';
import { ACTIVE_ROW_PATTERNS, TEMPLATE_MARKERS, matchFirst } from './labels.ts';
import { isValueText, missing, ownSlots, readSlot, rowCells } from './grid.ts';

interface ActiveRowHit {
  table: TableBlock;
  r: number;
  /** Grid columns of the row's value cells, left to right. */
  columns: number[];
}

export interface ActiveReading {
  hits: Map<string, ActiveRowHit>;
  /** Votes of 表二 header words for each template. */
  votes: Record<Template, number>;
  tables: number[];
}

export function findActive(tables: TableBlock[]): ActiveReading {
  const hits = new Map<string, ActiveRowHit>();
  const votes: Record<Template, number> = { '2021': 0, '2019': 0 };
  const used = new Set<number>();
  for (const table of tables) {
    for (let r = 0; r < table.grid.length; r++) {
      const own = ownSlots(table, r);
      for (const s of own) {
        const t = matchFirst(TEMPLATE_MARKERS, s.key);
        if (t) votes[t]++;
      }
      const cells = rowCells(table, r);
      if (cells.length < 2) continue;
      // The label is the last text cell before the values (a caption may stand in a merged first
      // column); 1.规章 and 规章（件） are the same label.
      const firstValue = cells.findIndex((s) => s.key !== '' && isValueText(s.cell.text));
      const labels = cells.slice(0, firstValue < 0 ? cells.length : firstValue).filter((s) => s.key !== '');
      const label = labels[labels.length - 1];
      if (!label) continue;
      const key = matchFirst(ACTIVE_ROW_PATTERNS, label.key.replace(/\([^)]*\)$/u, '').replace(/^(\d+\.|\([一二三四五六七八九十]+\))/u, ''));
      if (!key || hits.has(key)) continue;
      const columns = cells.filter((s) => s.c > label.c && isValueText(s.cell.text)).map((s) => s.c);
      if (columns.length === 0) continue;
      hits.set(key, { table, r, columns });
      used.add(table.index);
    }
  }
  return { hits, votes, tables: [...used] };
}

export function readActive(reading: ActiveReading, template: Template): Record<string, ValueCell> {
  const values: Record<string, ValueCell> = {};
  for (const def of activeRows(template)) {
    const hit = reading.hits.get(def.key);
    def.columns.forEach((col, i) => {
      const path = `active.${def.key}.${col.key}`;
      const c = hit?.columns[i];
      values[path] = hit && c !== undefined ? readSlot(hit.table, hit.r, c, col.type) : missing();
    });
  }
  return values;
}
