/** The bell in the top bar: how many notices wait (refused changes, reassigned cases); opens the drawer that lists them. */
import { useState } from 'react';
import { ActionIcon, Indicator, Tooltip } from '@mantine/core';
import { IconBell } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { useNotices } from '../api/queries';
import { NoticesDrawer } from './NoticesDrawer';

export function NoticesButton({ onOpenCase }: { onOpenCase: (id: string) => void }) {
  const { t } = useTranslation();
  const [opened, setOpened] = useState(false);
  const notices = useNotices();
  const count = notices.data?.length ?? 0;
  return (
    <>
      <Tooltip label={count > 0 ? t('notices.count', { count }) : t('notices.title')}>
        <Indicator
          disabled={count === 0}
          label={<span data-testid="notices-count">{count > 99 ? '99+' : count}</span>}
          size={16}
          offset={4}
          color="orange"
          styles={{ indicator: { fontSize: 10, fontWeight: 700 } }}
        >
          <ActionIcon variant="subtle" color="gray.4" onClick={() => setOpened(true)} aria-label={t('notices.title')} data-testid="notices-button" data-count={count}>
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
