/**
 * A dense, virtualized table of rows with ids — the queue and the mentions
 * inbox. It keeps the keyboard cursor's row in view, and while there are no
 * rows says why: the error, the first load, or the table's own empty state.
 */
import { Children, type CSSProperties, Fragment, type HTMLAttributes, isValidElement, type ReactNode, useEffect, useId, useRef } from 'react';
import { Group, type MantineColor, Stack } from '@mantine/core';
import { useVirtualizer } from '@tanstack/react-virtual';
import { ErrorState } from './States';
import classes from './VirtualTable.module.css';

interface Props<T extends { id: string }> {
  items: T[];
  rowHeight: number;
  selectedId: string | null;
  /** The selected row's bar (and its background while the table has focus). */
  accent: MantineColor;
  /** The grid's accessible name. */
  label: string;
  testId: string;
  /** Added to the table's frame (e.g. a container for container queries). */
  className?: string;
  /** Attributes the viewport (the focusable grid) carries, e.g. for tests to find it. */
  viewportProps?: Record<`data-${string}`, boolean>;
  /** The column headings; none, no header row. */
  header?: ReactNode;
  /** The header's grid (a class that composes `columns`). */
  headerClassName?: string;
  loading: boolean;
  /** The rows shown are those of the view before, while this view's are read (announced as busy). */
  stale?: boolean;
  error: Error | null;
  errorTitle: string;
  onRetry: () => void;
  /** Shown while the first page loads: `LoadingRows`. */
  skeleton: ReactNode;
  /** Shown when there is nothing to list. */
  empty: ReactNode;
  renderRow: (item: T, top: number) => ReactNode;
  /** Data attributes of the table's frame. */
  [data: `data-${string}`]: string | boolean | undefined;
}

/** ARIA roles of the cells (a grid's header and body). */
const HEADER_CELL = 'columnheader';
const BODY_CELL = 'gridcell';

export function VirtualTable<T extends { id: string }>(props: Props<T>) {
  const { items, rowHeight, selectedId, accent, label, testId, className, viewportProps, header, headerClassName, loading, stale = false, error, errorTitle, onRetry, skeleton, empty, renderRow, ...data } = props;
  const parentRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: items.length,
    getScrollElement: () => parentRef.current,
    estimateSize: () => rowHeight,
    getItemKey: (index) => items[index]?.id ?? index,
    overscan: 10,
  });
  const selectedIndex = items.findIndex((item) => item.id === selectedId);
  const headerId = useId();

  // A table whose rows change height (the queue beside an open case) lays them out again.
  useEffect(() => virtualizer.measure(), [rowHeight, virtualizer]);
  useEffect(() => {
    if (selectedIndex >= 0) virtualizer.scrollToIndex(selectedIndex, { align: 'auto' });
  }, [selectedIndex, virtualizer]);

  let body: ReactNode = null;
  if (error && items.length === 0) body = <ErrorState title={errorTitle} error={error} onRetry={onRetry} />;
  else if (loading && items.length === 0) body = skeleton;
  else if (items.length === 0) body = empty;

  const colors = { '--table-accent': `var(--mantine-color-${accent}-6)`, '--table-accent-light': `light-dark(var(--mantine-color-${accent}-0), var(--mantine-color-${accent}-light))` } as CSSProperties;
  return (
    <div className={`${classes.table} ${className ?? ''}`} style={colors} data-testid={testId} {...data}>
      {header && (
        <div id={headerId} className={`${classes.header} ${headerClassName ?? ''}`} role="row">
          {asCells(header, HEADER_CELL)}
        </div>
      )}
      <div
        ref={parentRef}
        className={classes.viewport}
        tabIndex={0}
        role="grid"
        aria-label={label}
        aria-rowcount={body ? undefined : items.length}
        aria-busy={(loading && items.length === 0) || stale}
        aria-owns={header ? headerId : undefined}
        {...viewportProps}
      >
        {/* A grid holds only rows: the error, the skeleton or the empty state is one row's one cell. */}
        {body ? (
          <div role="row" style={{ display: 'contents' }}>
            <div role="gridcell" style={{ display: 'contents' }}>
              {body}
            </div>
          </div>
        ) : (
          <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
            {virtualizer.getVirtualItems().map((row) => (
              <Fragment key={row.key}>{renderRow(items[row.index]!, row.start)}</Fragment>
            ))}
          </div>
        )}
      </div>
    </div>
  );
}

interface RowProps extends Omit<HTMLAttributes<HTMLDivElement>, 'style' | 'role'> {
  top: number;
  height: number;
  selected: boolean;
  fresh: boolean;
}

/** One row of a `VirtualTable`, placed at `top`: the cursor (`data-selected`) and the highlight of a change that just came in (`data-fresh`). */
export function TableRow({ top, height, selected, fresh, className, children, ...rest }: RowProps) {
  return (
    <div
      role="row"
      data-selected={selected || undefined}
      data-fresh={fresh || undefined}
      aria-selected={selected}
      className={`${classes.row} ${className ?? ''}`}
      style={{ height, transform: `translateY(${top}px)` }}
      {...rest}
    >
      {asCells(children, BODY_CELL)}
    </div>
  );
}

/**
 * A row's pieces as the cells a grid's row must hold (for screen readers), each
 * wrapped in a `display: contents` element so the CSS grid of columns still
 * lays out the pieces themselves. Fragments are opened; empty slots make no cell.
 */
function asCells(children: ReactNode, role: 'gridcell' | 'columnheader'): ReactNode[] {
  const pieces: ReactNode[] = [];
  const flatten = (node: ReactNode) =>
    Children.forEach(node, (child) => {
      if (isValidElement<{ children?: ReactNode }>(child) && child.type === Fragment) flatten(child.props.children);
      else if (child !== null && child !== undefined && typeof child !== 'boolean') pieces.push(child);
    });
  flatten(children);
  return pieces.map((piece, i) => (
    <div key={i} role={role} style={{ display: 'contents' }}>
      {piece}
    </div>
  ));
}

/** Placeholder rows while the first page loads: `cells(i)` are the i-th row's skeletons. */
export function LoadingRows({ count, height, testId, cells }: { count: number; height: number; testId?: string; cells: (i: number) => ReactNode }) {
  return (
    <Stack gap={0} data-testid={testId} aria-busy>
      {Array.from({ length: count }, (_, i) => (
        <Group key={i} h={height} px={12} gap={12} wrap="nowrap" style={{ borderBottom: '1px solid light-dark(var(--mantine-color-gray-2), var(--mantine-color-dark-5))' }}>
          {cells(i)}
        </Group>
      ))}
    </Stack>
  );
}

/** A skeleton width that varies from row to row, so the placeholder reads as text. */
export const skeletonWidth = (i: number): string => `${30 + ((i * 37) % 40)}%`;
