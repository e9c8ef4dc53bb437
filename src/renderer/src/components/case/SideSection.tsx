/** A titled block of the case's side panel (properties, field work), styled like the customer's. */
import type { ReactNode } from 'react';
import { Group, Text } from '@mantine/core';
import classes from './SideSection.module.css';

export function SideSection({ title, right, children, testId }: { title: string; right?: ReactNode; children: ReactNode; testId?: string }) {
  return (
    <div className={classes.section} data-testid={testId}>
      <Group justify="space-between" wrap="nowrap" mb={8} gap={8}>
        <Text size="11px" fw={700} c="dimmed" tt="uppercase" style={{ letterSpacing: '0.05em' }}>
          {title}
        </Text>
        {right}
      </Group>
      {children}
    </div>
  );
}
