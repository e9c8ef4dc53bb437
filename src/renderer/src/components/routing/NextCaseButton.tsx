/**
 * "Next case" for agents of pull queues: takes the best waiting case they
 * may work (atomically, on the hub) and opens it; Shift+N does the same.
 * When nothing waits it says so plainly, under the button, until the next try.
 */
import { useEffect, useState } from 'react';
import { Box, Button, Kbd, Text } from '@mantine/core';
import { IconPlayerTrackNext } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { useNextCase } from '../../api/mutations';
import { keyLabel, NEXT_CASE_KEY, useRoutingKey } from './keys';

/** How long "nothing waiting" stays. */
const EMPTY_SHOWN_MS = 8_000;

export function NextCaseButton({ onOpenCase }: { onOpenCase: (id: string) => void }) {
  const { t } = useTranslation();
  const [empty, setEmpty] = useState<number | null>(null);
  const next = useNextCase((item) => {
    if (item) onOpenCase(item.id);
    setEmpty(item ? null : Date.now());
  });
  useEffect(() => {
    if (empty === null) return;
    const timer = setTimeout(() => setEmpty(null), EMPTY_SHOWN_MS);
    return () => clearTimeout(timer);
  }, [empty]);
  const take = () => {
    if (next.isPending) return;
    setEmpty(null);
    next.mutate({});
  };
  useRoutingKey(NEXT_CASE_KEY, take, true);

  return (
    <Box>
      <Button
        fullWidth
        size="xs"
        color="indigo"
        leftSection={<IconPlayerTrackNext size={14} />}
        rightSection={<Kbd size="xs">{keyLabel(NEXT_CASE_KEY)}</Kbd>}
        justify="space-between"
        loading={next.isPending}
        onClick={take}
        title={t('routing.nextCase.title')}
        aria-keyshortcuts="Shift+N"
        data-testid="next-case-button"
      >
        {t('routing.nextCase.label')}
      </Button>
      {/* Always there, so a screen reader announces the words when they appear. */}
      <Text size="xs" c="dimmed" role="status">
        {empty !== null && (
          <Text span inherit display="block" mt={4} data-testid="next-case-empty">
            {t('routing.nextCase.empty')}
          </Text>
        )}
      </Text>
    </Box>
  );
}
