/** Parts used on site: one row per part (name, quantity), edited in place, added and removed one at a time. */
import { useTranslation } from 'react-i18next';
import { type KeyboardEvent, useState } from 'react';
import { ActionIcon, Button, Group, NumberInput, Stack, Text, TextInput, Tooltip } from '@mantine/core';
import { IconPlus, IconTrash } from '@tabler/icons-react';
import type { Part } from '../../../../shared/domain';
import classes from './PartsEditor.module.css';

const MAX_QUANTITY = 10_000;
const validQuantity = (value: string | number): number | null => {
  const n = typeof value === 'number' ? value : Number(value);
  return Number.isInteger(n) && n >= 1 && n <= MAX_QUANTITY ? n : null;
};

export function PartsEditor({ parts, onChange }: { parts: Part[]; onChange: (parts: Part[]) => void }) {
  const { t } = useTranslation();
  const replace = (index: number, part: Part) => onChange(parts.map((p, i) => (i === index ? part : p)));
  return (
    <div data-testid="parts-editor">
      <Text size="11px" fw={600} c="dimmed" mb={4}>
        {t('fields.parts')}
      </Text>
      <Stack gap={4}>
        {parts.length === 0 && (
          <Text size="xs" c="dimmed">
            {t('parts.none')}
          </Text>
        )}
        {parts.map((part, index) => (
          // Keyed by content: a change from elsewhere (sync, conflict) resets the row's local edits.
          <PartRow key={`${index}:${part.name}:${part.quantity}`} part={part} onSave={(p) => replace(index, p)} onRemove={() => onChange(parts.filter((_, i) => i !== index))} />
        ))}
        <NewPart onAdd={(part) => onChange([...parts, part])} />
      </Stack>
    </div>
  );
}

function PartRow({ part, onSave, onRemove }: { part: Part; onSave: (part: Part) => void; onRemove: () => void }) {
  const { t } = useTranslation();
  const [name, setName] = useState(part.name);
  const [quantity, setQuantity] = useState<string | number>(part.quantity);
  const commit = () => {
    const q = validQuantity(quantity);
    const n = name.trim();
    if (!n || q === null) {
      // Not a valid part: put back what is saved rather than save nonsense.
      setName(part.name);
      setQuantity(part.quantity);
      return;
    }
    if (n !== part.name || q !== part.quantity) onSave({ name: n, quantity: q });
  };
  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'Enter') event.currentTarget.blur();
  };
  return (
    <Group gap={4} wrap="nowrap" className={classes.row} data-testid="part-row" data-name={part.name} data-quantity={part.quantity}>
      <TextInput size="xs" value={name} maxLength={200} aria-label={t('parts.part')} onChange={(e) => setName(e.currentTarget.value)} onBlur={commit} onKeyDown={onKeyDown} className={classes.name} data-testid="part-name" />
      <NumberInput size="xs" value={quantity} min={1} max={MAX_QUANTITY} allowDecimal={false} allowNegative={false} hideControls aria-label={t('parts.quantity')} onChange={setQuantity} onBlur={commit} onKeyDown={onKeyDown} className={classes.quantity} data-testid="part-quantity" />
      <Tooltip label={t('parts.remove')}>
        <ActionIcon variant="subtle" color="gray" size="md" onClick={onRemove} aria-label={t('parts.removeNamed', { name: part.name })} data-testid="part-remove">
          <IconTrash size={14} />
        </ActionIcon>
      </Tooltip>
    </Group>
  );
}

function NewPart({ onAdd }: { onAdd: (part: Part) => void }) {
  const { t } = useTranslation();
  const [name, setName] = useState('');
  const [quantity, setQuantity] = useState<string | number>(1);
  const q = validQuantity(quantity);
  const ready = name.trim() !== '' && q !== null;
  const add = () => {
    if (!ready) return;
    onAdd({ name: name.trim(), quantity: q });
    setName('');
    setQuantity(1);
  };
  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'Enter') add();
  };
  return (
    <Group gap={4} wrap="nowrap" className={classes.row} mt={2}>
      <TextInput size="xs" value={name} placeholder={t('parts.name')} maxLength={200} aria-label={t('parts.new')} onChange={(e) => setName(e.currentTarget.value)} onKeyDown={onKeyDown} className={classes.name} data-testid="part-new-name" />
      <NumberInput size="xs" value={quantity} min={1} max={MAX_QUANTITY} allowDecimal={false} allowNegative={false} hideControls aria-label={t('parts.newQuantity')} onChange={setQuantity} onKeyDown={onKeyDown} className={classes.quantity} data-testid="part-new-quantity" />
      <Button size="xs" px={8} variant="light" disabled={!ready} onClick={add} aria-label={t('parts.add')} title={t('parts.add')} data-testid="part-add">
        <IconPlus size={14} />
      </Button>
    </Group>
  );
}
