/** 表二: rows found by their label in the 信息内容 column; values taken in order (see format.md). */
import type { TableBlock } from '../extract/model.ts';
import { activeRows, type Template } from '../report/paths.ts';
import type { ValueCell } from '../report/schema.ts';
import { ACTIVE_ROW_PATTERNS, TEMPLATE_MARKERS, matchFirst } from './labels.ts';
import { isValueText, ownSlots, readSlot, rowCells } from './grid.ts';
import { missing } from './grid.ts';

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
      // 规章（件）: a unit after the label is not part of it.
      const key = matchFirst(ACTIVE_ROW_PATTERNS, cells[0].key.replace(/\([^)]*\)$/u, ''));
      if (!key || hits.has(key)) continue;
      const columns = cells.slice(1).filter((s) => isValueText(s.cell.text)).map((s) => s.c);
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
