import { useEffect } from 'react';
import { Anchor, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconCpu } from '@tabler/icons-react';
import { api } from '../api/client';

/** A toast for each device alert — agents must notice before the customer calls — with a way to the case. */
export function AlertToasts({ onOpenCase }: { onOpenCase: (caseId: string) => void }) {
  useEffect(
    () =>
      api.on('device:alert', (alert) => {
        const id = `alert-${alert.id}`;
        notifications.show({
          id,
          title: `Device alert · ${alert.deviceId}`,
          color: 'orange',
          icon: <IconCpu size={16} />,
          autoClose: 10_000,
          withBorder: true,
          message: (
            <>
              <Text size="xs">{alert.message}</Text>
              <Anchor
                component="button"
                size="xs"
                fw={600}
                mt={4}
                data-testid="alert-open-case"
                onClick={() => {
                  notifications.hide(id);
                  onOpenCase(alert.caseId);
                }}
              >
                Open case
              </Anchor>
            </>
          ),
        });
      }),
    [onOpenCase],
  );
  return null;
}
