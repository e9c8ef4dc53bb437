/**
 * The frame of a list screen (the queue, the mentions inbox): a toolbar with
 * the title, how many there are and the list's controls; below it the list,
 * which narrows to make room for the open case beside it.
 */
import { useTranslation } from 'react-i18next';
import type { ReactNode } from 'react';
import { Box, Group, Text } from '@mantine/core';
import classes from './ListView.module.css';

interface ToolbarProps {
  title: string;
  /** How many the list has in all (unknown until it loads), counted in `noun`s. */
  total: number | undefined;
  noun: string;
  /** After the count: e.g. the list's own keys. */
  hint?: ReactNode;
  /** On the right: search, filters. */
  children: ReactNode;
  testId?: string;
}

/** The nouns lists count in, with their plural forms in every language. */
const COUNTED = ['case', 'post', 'change', 'queue', 'user'] as const;
const isCounted = (noun: string): noun is (typeof COUNTED)[number] => (COUNTED as readonly string[]).includes(noun);

export function ViewToolbar({ title, total, noun, hint, children, testId }: ToolbarProps) {
  const { t } = useTranslation();
  return (
    <Group className={classes.toolbar} justify="space-between" wrap="nowrap" data-testid={testId}>
      <Group gap={10} wrap="nowrap" style={{ minWidth: 0 }}>
        {/* The view's heading for screen readers' heading navigation; its count is read out as it changes (new work). */}
        <Text component="h1" m={0} fw={600} size="md" truncate data-testid="view-title">
          {title}
        </Text>
        <Text size="xs" c="dimmed" className="tabular" style={{ whiteSpace: 'nowrap' }} aria-live="polite" data-testid="view-total">
          {total === undefined ? '' : isCounted(noun) ? t(`counts.${noun}`, { count: total }) : `${total} ${total === 1 ? noun : `${noun}s`}`}
        </Text>
        {hint}
      </Group>
      {children}
    </Group>
  );
}

/** The list, and the open case (if any) beside it. */
export function SplitView({ detail, children }: { detail: ReactNode; children: ReactNode }) {
  return (
    <Box className={classes.split}>
      <Box className={classes.list} data-split={detail ? true : undefined}>
        {children}
      </Box>
      {detail && <Box className={classes.detail}>{detail}</Box>}
    </Box>
  );
}
