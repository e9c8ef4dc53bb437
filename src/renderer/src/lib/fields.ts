/** How case fields read on screen: their names, and values of any field as one line (conflicts, notices). */
import type { Part } from '../../../shared/domain';
import { CASE_STATUSES, CHANNELS, PRIORITIES, type CaseStatus, type Priority } from '../../../shared/domain';
import type { CaseField } from '../../../shared/protocol';

export const FIELD_LABELS: Record<CaseField, string> = {
  subject: 'Subject',
  status: 'Status',
  priority: 'Priority',
  tags: 'Tags',
  resolution: 'Resolution',
  parts: 'Parts used',
};

export const STATUS_TEXT: Record<CaseStatus, string> = { new: 'New', open: 'Open', pending: 'Pending', on_hold: 'On hold', solved: 'Solved', closed: 'Closed' };
export const PRIORITY_TEXT: Record<Priority, string> = { urgent: 'Urgent', high: 'High', normal: 'Normal', low: 'Low' };

export const STATUS_OPTIONS = CASE_STATUSES.map((value) => ({ value, label: STATUS_TEXT[value] }));
export const PRIORITY_OPTIONS = PRIORITIES.map((value) => ({ value, label: PRIORITY_TEXT[value] }));
export const isChannelValue = (value: string): value is (typeof CHANNELS)[number] => (CHANNELS as readonly string[]).includes(value);

const isPart = (value: unknown): value is Part =>
  typeof value === 'object' && value !== null && typeof (value as Part).name === 'string' && typeof (value as Part).quantity === 'number';

/** One field's value as text: "On hold", "battery × 2, fuse × 1", "(none)". */
export function fieldValueText(field: string, value: unknown): string {
  if (value === null || value === undefined || value === '') return '(none)';
  if (field === 'status' && typeof value === 'string') return STATUS_TEXT[value as CaseStatus] ?? value;
  if (field === 'priority' && typeof value === 'string') return PRIORITY_TEXT[value as Priority] ?? value;
  if (Array.isArray(value)) {
    if (value.length === 0) return '(none)';
    return value.map((v) => (isPart(v) ? `${v.name} × ${v.quantity}` : String(v))).join(', ');
  }
  return typeof value === 'string' ? value : JSON.stringify(value);
}

export const fieldLabel = (field: string): string => FIELD_LABELS[field as CaseField] ?? field;
