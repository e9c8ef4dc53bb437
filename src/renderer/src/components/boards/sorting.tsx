/** Sortable columns shared by the boards: click a header to sort by it, again to reverse. */
import { useState } from 'react';
import { Table, UnstyledButton } from '@mantine/core';
import { IconArrowsSort, IconSortAscending, IconSortDescending } from '@tabler/icons-react';

export interface SortColumn<K extends string> {
  key: K;
  label: string;
  title: string;
}
export interface SortState<K extends string> {
  key: K;
  desc: boolean;
}

/**
 * The rows in the chosen order. `value` gives a column's sort value (a string
 * sorts by name, a number by size, null last in either direction); a new
 * column starts descending unless it sorts text.
 */
export function useSorted<T, K extends string>(rows: T[], value: (row: T, key: K) => string | number | null, initial: SortState<K>) {
  const [sort, setSort] = useState(initial);
  const sorted = [...rows].sort((a, b) => {
    const [x, y] = [value(a, sort.key), value(b, sort.key)];
    if (x === null || y === null) return x === y ? 0 : x === null ? 1 : -1;
    const order = typeof x === 'string' ? x.localeCompare(String(y)) : x - Number(y);
    return sort.desc ? -order : order;
  });
  const sortBy = (key: K, text: boolean) => setSort((current) => ({ key, desc: current.key === key ? !current.desc : !text }));
  return { sorted, sort, sortBy };
}

export function SortHeader<K extends string>({ column, sort, onSort, text = false }: { column: SortColumn<K>; sort: SortState<K>; onSort: (key: K, text: boolean) => void; text?: boolean }) {
  const active = sort.key === column.key;
  return (
    <Table.Th title={column.title} aria-sort={active ? (sort.desc ? 'descending' : 'ascending') : 'none'} style={{ whiteSpace: 'nowrap' }}>
      <UnstyledButton onClick={() => onSort(column.key, text)} style={{ display: 'inline-flex', alignItems: 'center', gap: 4, fontWeight: 600, fontSize: 12 }}>
        {column.label}
        {!active ? <IconArrowsSort size={12} opacity={0.4} /> : sort.desc ? <IconSortDescending size={12} /> : <IconSortAscending size={12} />}
      </UnstyledButton>
    </Table.Th>
  );
}
