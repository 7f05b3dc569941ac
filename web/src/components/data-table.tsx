import { Box, Group, Skeleton, Table, Text } from "@mantine/core";
import { useVirtualizer } from "@tanstack/react-virtual";
import { type JSX, type ReactNode, useMemo, useRef, useState } from "react";
import { DataRow, SearchBox, SortHeader, type SortState, sortRows } from "./data-table-parts.js";

export interface DataColumn<Row> {
  id: string;
  header: string;
  cell: (row: Row) => ReactNode;
  /** Given: the header is a sort button. */
  sortValue?: (row: Row) => string | number;
  width?: string;
  align?: "left" | "right";
}

/** `matches` filters the rows in the browser; `value`/`onChange` hands the query to the page (server-side search). */
export type TableSearch<Row> = { label: string; placeholder?: string } & (
  | { matches: (row: Row, query: string) => boolean }
  | { value: string; onChange: (query: string) => void }
);

export interface DataTableProps<Row> {
  /** The table's accessible name. */
  label: string;
  columns: readonly DataColumn<Row>[];
  /** undefined while loading: skeleton rows of the final height, so nothing jumps. */
  rows: readonly Row[] | undefined;
  rowKey: (row: Row) => string;
  search?: TableSearch<Row>;
  /** Shown when there are no rows at all. */
  empty: ReactNode;
  /** Beside the search box, at the right. */
  toolbar?: ReactNode;
  /** Height of the scroll area in pixels (default 600). */
  maxHeight?: number;
  /** Rows become keyboard reachable; Enter or a click opens. */
  onRowClick?: (row: Row) => void;
}

const ROW_HEIGHT = 43;
const SKELETON_ROWS = 8;
/** Past this many rows only the visible ones are in the DOM. */
const VIRTUALISE_AFTER = 200;

/**
 * The panel's table: a labelled search box (client-side or the page's own), sortable headers
 * (buttons carrying aria-sort), a sticky header in a scroll area, skeleton rows while loading and,
 * past 200 rows, only the visible rows rendered (@tanstack/react-virtual) so 5,000 admins filter
 * at typing speed.
 */
export function DataTable<Row>(props: DataTableProps<Row>): JSX.Element {
  const { label, columns, rows, rowKey, search, empty, toolbar, onRowClick } = props;
  const maxHeight = props.maxHeight ?? 600;
  const [query, setQuery] = useState("");
  const [sort, setSort] = useState<SortState>(undefined);
  const scrollRef = useRef<HTMLDivElement>(null);

  const matches = search && "matches" in search ? search.matches : undefined;
  // The query the rows reflect: SearchBox sets it in a transition, so typing never waits for it.

  const sorted = useMemo(
    () => (rows ? sortRows(rows, columns, sort) : undefined),
    [rows, columns, sort],
  );
  const visible = useMemo(() => {
    const needle = query.trim();
    if (!sorted || !matches || needle === "") return sorted;
    return sorted.filter((row) => matches(row, needle));
  }, [sorted, matches, query]);

  const count = visible?.length ?? 0;
  // Decided by the whole table, not the filtered rows: narrowing 5,000 rows to 150 renders 20, not 150.
  const virtual = (rows?.length ?? 0) > VIRTUALISE_AFTER;
  const virtualizer = useVirtualizer({
    count,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 6,
    enabled: virtual,
  });

  const onSort = (id: string) =>
    setSort((current) =>
      current?.id === id && current.direction === "ascending"
        ? { id, direction: "descending" }
        : { id, direction: "ascending" },
    );

  const renderRow = (row: Row, index: number) => (
    <DataRow
      key={rowKey(row)}
      row={row}
      index={index}
      columns={columns}
      onRowClick={onRowClick}
      measure={virtual ? virtualizer.measureElement : undefined}
    />
  );

  const spacer = (height: number, key: string) =>
    height > 0 ? (
      <tr key={key}>
        <td colSpan={columns.length} style={{ height, padding: 0, border: 0 }} />
      </tr>
    ) : null;

  let body: ReactNode;
  if (!visible) {
    body = Array.from({ length: SKELETON_ROWS }, (_, index) => (
      // biome-ignore lint/suspicious/noArrayIndexKey: placeholders have no identity
      <Table.Tr key={index} style={{ height: ROW_HEIGHT }}>
        {columns.map((column) => (
          <Table.Td key={column.id}>
            <Skeleton height={14} radius="sm" />
          </Table.Td>
        ))}
      </Table.Tr>
    ));
  } else if (count === 0) {
    body = (
      <Table.Tr>
        <Table.Td colSpan={columns.length}>
          {rows && rows.length > 0 && query.trim() !== "" ? (
            <Text size="sm" c="dimmed" py="md" ta="center">
              Nothing matches “{query.trim()}”.
            </Text>
          ) : (
            <Box py="md" ta="center">
              {empty}
            </Box>
          )}
        </Table.Td>
      </Table.Tr>
    );
  } else if (virtual) {
    const items = virtualizer.getVirtualItems();
    const top = items[0]?.start ?? 0;
    const bottom = virtualizer.getTotalSize() - (items.at(-1)?.end ?? 0);
    body = [
      spacer(top, "top"),
      ...items.map((item) => renderRow(visible[item.index] as Row, item.index)),
      spacer(bottom, "bottom"),
    ];
  } else {
    body = visible.map(renderRow);
  }

  const total = rows?.length ?? 0;
  return (
    <Box>
      {search || toolbar ? (
        <Group justify="space-between" align="flex-end" mb="sm" gap="sm">
          {search ? (
            <SearchBox
              label={search.label}
              placeholder={search.placeholder}
              {...("value" in search ? { value: search.value } : {})}
              onChange={(next, controlled) =>
                controlled && "onChange" in search ? search.onChange(next) : setQuery(next)
              }
            />
          ) : (
            <span />
          )}
          {toolbar ? <Group gap="sm">{toolbar}</Group> : null}
        </Group>
      ) : null}
      <Box
        ref={scrollRef}
        role="region"
        aria-label={`${label}, scrollable`}
        tabIndex={0}
        style={{ maxHeight, overflow: "auto" }}
        bd="1px solid var(--mantine-color-default-border)"
        bdrs="sm"
      >
        <Table
          aria-label={label}
          aria-rowcount={rows ? count + 1 : -1}
          aria-busy={rows ? undefined : true}
          // The query the rendered rows reflect (the search box's may be ahead of it while typing).
          data-query={matches ? query : undefined}
          stickyHeader
          highlightOnHover={Boolean(onRowClick)}
          verticalSpacing="xs"
        >
          <Table.Thead>
            <Table.Tr aria-rowindex={1}>
              {columns.map((column) => (
                <SortHeader key={column.id} column={column} sort={sort} onSort={onSort} />
              ))}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>{body}</Table.Tbody>
        </Table>
      </Box>
      {rows ? (
        <Text size="xs" c="dimmed" mt={4} aria-live="polite" data-testid="row-count">
          {matches && query.trim() !== ""
            ? `${count.toLocaleString()} of ${total.toLocaleString()}`
            : `${total.toLocaleString()} in all`}
        </Text>
      ) : null}
    </Box>
  );
}
