import { Group, Table, TextInput, UnstyledButton } from "@mantine/core";
import {
  IconArrowsSort,
  IconSearch,
  IconSortAscending,
  IconSortDescending,
} from "@tabler/icons-react";
import { type KeyboardEvent, memo, type ReactNode, startTransition, useState } from "react";
import type { DataColumn } from "./data-table.js";

/** The pieces of DataTable (data-table.tsx): sorting, the header cells, the search box, a row. */

export type SortState = { id: string; direction: "ascending" | "descending" } | undefined;

const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: "base" });

function compare(a: string | number, b: string | number): number {
  if (typeof a === "number" && typeof b === "number") return a - b;
  return collator.compare(String(a), String(b));
}

/** Sorted by the column's sortValue, stably; the same array when unsorted. */
export function sortRows<Row>(
  rows: readonly Row[],
  columns: readonly DataColumn<Row>[],
  sort: SortState,
): readonly Row[] {
  const sortValue = sort ? columns.find((column) => column.id === sort.id)?.sortValue : undefined;
  if (!sort || !sortValue) return rows;
  const sign = sort.direction === "ascending" ? 1 : -1;
  // Compute every key once: a 5,000-row sort calls the comparator ~60,000 times.
  const keyed = rows.map((row, index) => ({ row, key: sortValue(row), index }));
  keyed.sort((a, b) => sign * compare(a.key, b.key) || a.index - b.index);
  return keyed.map((entry) => entry.row);
}

export function SortHeader<Row>({
  column,
  sort,
  onSort,
}: {
  column: DataColumn<Row>;
  sort: SortState;
  onSort: (id: string) => void;
}) {
  const active = sort?.id === column.id ? sort.direction : undefined;
  const Icon =
    active === "ascending"
      ? IconSortAscending
      : active === "descending"
        ? IconSortDescending
        : IconArrowsSort;
  return (
    <Table.Th
      aria-sort={column.sortValue ? (active ?? "none") : undefined}
      style={{ width: column.width, textAlign: column.align ?? "left" }}
    >
      {column.sortValue ? (
        <UnstyledButton
          onClick={() => onSort(column.id)}
          fw={600}
          fz="sm"
          aria-label={`${column.header}: sort ${active === "ascending" ? "descending" : "ascending"}`}
        >
          <Group gap={4} wrap="nowrap" component="span">
            {column.header}
            <Icon size={14} aria-hidden />
          </Group>
        </UnstyledButton>
      ) : (
        column.header
      )}
    </Table.Th>
  );
}

/**
 * The search box keeps its own text, so a keystroke re-renders only the box; the table's query
 * follows in a transition, which React may interrupt when the next keystroke comes.
 */
export function SearchBox({
  label,
  placeholder,
  value,
  onChange,
}: {
  label: string;
  placeholder: string | undefined;
  /** Controlled (server-side search): the page's value; otherwise the box's own. */
  value?: string;
  onChange: (query: string, controlled: boolean) => void;
}) {
  const [text, setText] = useState("");
  const controlled = value !== undefined;
  return (
    <TextInput
      label={label}
      placeholder={placeholder}
      leftSection={<IconSearch size={16} aria-hidden />}
      value={controlled ? value : text}
      onChange={(event) => {
        const next = event.currentTarget.value;
        if (controlled) onChange(next, true);
        else {
          setText(next);
          startTransition(() => onChange(next, false));
        }
      }}
      type="search"
      w={{ base: "100%", sm: 360 }}
    />
  );
}

interface DataRowProps<Row> {
  row: Row;
  index: number;
  columns: readonly DataColumn<Row>[];
  onRowClick: ((row: Row) => void) | undefined;
  /** The virtualiser's measuring ref, when virtualised. */
  measure: ((element: Element | null) => void) | undefined;
}

function DataRowImpl<Row>({ row, index, columns, onRowClick, measure }: DataRowProps<Row>) {
  const onKeyDown = (event: KeyboardEvent<HTMLTableRowElement>) => {
    if (event.key === "Enter" && event.target === event.currentTarget) {
      event.preventDefault();
      onRowClick?.(row);
    }
  };
  return (
    <Table.Tr
      data-index={index}
      ref={measure}
      aria-rowindex={index + 2}
      tabIndex={onRowClick ? 0 : undefined}
      onClick={onRowClick ? () => onRowClick(row) : undefined}
      onKeyDown={onRowClick ? onKeyDown : undefined}
      style={onRowClick ? { cursor: "pointer" } : undefined}
    >
      {columns.map((column) => (
        <Table.Td key={column.id} style={{ textAlign: column.align ?? "left" }}>
          {column.cell(row) as ReactNode}
        </Table.Td>
      ))}
    </Table.Tr>
  );
}

/** A row re-renders only when its row, place or columns change: filtering keeps the rows still in view. */
export const DataRow = memo(DataRowImpl) as <Row>(props: DataRowProps<Row>) => ReactNode;
