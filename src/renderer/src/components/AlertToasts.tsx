import { useEffect } from 'react';
import { notifications } from '@mantine/notifications';
import { api } from '../api/client';

/** A toast for each device alert: agents must notice before the customer calls. */
export function AlertToasts() {
  useEffect(
    () =>
      api.on('device:alert', (alert) =>
        notifications.show({ title: `Device alert · ${alert.deviceId}`, message: alert.message, color: 'orange', autoClose: 8000 }),
      ),
    [],
  );
  return null;
}
