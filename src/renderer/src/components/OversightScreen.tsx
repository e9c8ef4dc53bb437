/** The supervisors' and admins' screens, one per view of the left rail. */
import type { ScreenView } from '../lib/views';
import { AdminScreen } from './admin/AdminScreen';
import { AgentBoard } from './AgentBoard';
import { AuditLog } from './audit/AuditLog';
import { QueueBoard } from './QueueBoard';

export function OversightScreen({ view }: { view: ScreenView }) {
  switch (view) {
    case 'board':
      return <QueueBoard />;
    case 'agents':
      return <AgentBoard />;
    case 'audit':
      return <AuditLog />;
    case 'admin':
      return <AdminScreen />;
  }
}
