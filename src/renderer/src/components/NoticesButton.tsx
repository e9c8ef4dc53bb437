/** The bell in the top bar: how many notices wait (refused changes, reassigned cases); opens the drawer that lists them. */
import { useState } from 'react';
import { ActionIcon, Indicator, Tooltip } from '@mantine/core';
import { IconBell } from '@tabler/icons-react';
import { useNotices } from '../api/queries';
import { NoticesDrawer } from './NoticesDrawer';

export function NoticesButton({ onOpenCase }: { onOpenCase: (id: string) => void }) {
  const [opened, setOpened] = useState(false);
  const notices = useNotices();
  const count = notices.data?.length ?? 0;
  return (
    <>
      <Tooltip label={count > 0 ? `${count} notice${count === 1 ? '' : 's'}` : 'Notices'}>
        <Indicator
          disabled={count === 0}
          label={<span data-testid="notices-count">{count > 99 ? '99+' : count}</span>}
          size={16}
          offset={4}
          color="orange"
          styles={{ indicator: { fontSize: 10, fontWeight: 700 } }}
        >
          <ActionIcon variant="subtle" color="gray.4" onClick={() => setOpened(true)} aria-label="Notices" data-testid="notices-button" data-count={count}>
            <IconBell size={17} />
          </ActionIcon>
        </Indicator>
      </Tooltip>
      <NoticesDrawer
        opened={opened}
        onClose={() => setOpened(false)}
        notices={notices.data ?? []}
        onOpenCase={(id) => {
          setOpened(false);
          onOpenCase(id);
        }}
      />
    </>
  );
}
