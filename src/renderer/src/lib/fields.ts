/** How case fields read on screen: their names, and values of any field as one line (conflicts, notices). */
import type { Part } from '../../../shared/domain';
import { CASE_STATUSES, CHANNELS, PRIORITIES, type CaseStatus, type Priority } from '../../../shared/domain';
import { CASE_FIELDS, type CaseField } from '../../../shared/protocol';
import { i18n } from '../i18n';
import { translatedRecord } from '../i18n/labels';

export const FIELD_LABELS: Readonly<Record<CaseField, string>> = translatedRecord('fields', CASE_FIELDS);

export const STATUS_TEXT: Readonly<Record<CaseStatus, string>> = translatedRecord('status', CASE_STATUSES);
export const PRIORITY_TEXT: Readonly<Record<Priority, string>> = translatedRecord('priority', PRIORITIES);

/** Select options: built when a form renders, so in the language shown. */
export const statusOptions = () => CASE_STATUSES.map((value) => ({ value, label: STATUS_TEXT[value] }));
export const priorityOptions = () => PRIORITIES.map((value) => ({ value, label: PRIORITY_TEXT[value] }));
export const isChannelValue = (value: string): value is (typeof CHANNELS)[number] => (CHANNELS as readonly string[]).includes(value);

const isPart = (value: unknown): value is Part =>
  typeof value === 'object' && value !== null && typeof (value as Part).name === 'string' && typeof (value as Part).quantity === 'number';

/** One field's value as text: "On hold", "battery × 2, fuse × 1", "(none)". */
export function fieldValueText(field: string, value: unknown): string {
  if (value === null || value === undefined || value === '') return i18n.t('fields.none');
  if (field === 'status' && typeof value === 'string') return STATUS_TEXT[value as CaseStatus] ?? value;
  if (field === 'priority' && typeof value === 'string') return PRIORITY_TEXT[value as Priority] ?? value;
  if (Array.isArray(value)) {
    if (value.length === 0) return i18n.t('fields.none');
    return value.map((v) => (isPart(v) ? `${v.name} × ${v.quantity}` : String(v))).join(', ');
  }
  return typeof value === 'string' ? value : JSON.stringify(value);
}

export const fieldLabel = (field: string): string => FIELD_LABELS[field as CaseField] ?? field;
