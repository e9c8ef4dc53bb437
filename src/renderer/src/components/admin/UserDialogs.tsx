/** The dialogs of the users tab: each sends one change to the hub and shows its refusal in place. */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import { Alert, Autocomplete, Modal, NumberInput, PasswordInput, SegmentedControl, Select, TagsInput, Text, TextInput } from '@mantine/core';
import type { AdminUser } from '../../../../shared/admin';
import { ROLES, type Role } from '../../../../shared/domain';
import { PRESENCE } from '../../../../shared/protocol';
import { awayReasonOptions, awayReasonToStore } from '../../i18n/presence';
import { DialogForm } from '../DialogForm';
import { useAdminMutation } from './useAdminMutation';

const roleOptions = (t: TFunction) => ROLES.map((value) => ({ value, label: t(`roles.${value}`) }));
/** A presence in words; one the console does not know, as the hub sent it. */
export const presenceLabel = (t: TFunction, presence: string): string => ((PRESENCE as readonly string[]).includes(presence) ? t(`presence.${presence as (typeof PRESENCE)[number]}`) : presence);

const SKILL_SUGGESTIONS = ['en', 'ru', 'id', 'is', 'email', 'phone', 'social', 'billing', 'devices', 'field'];

/** The hub's (or the core's) refusal, where the admin is looking. */
export function FormError({ error }: { error: Error | null }) {
  if (!error) return null;
  return (
    <Alert color="red" variant="light" p={8} data-testid="admin-form-error">
      <Text size="xs">{error.message}</Text>
    </Alert>
  );
}

const title = (text: string) => (
  <Text fw={600} size="sm">
    {text}
  </Text>
);

export function CreateUserDialog({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  return (
    <Modal opened={opened} onClose={onClose} title={title(t('admin.users.create'))} size={480} data-testid="admin-user-dialog">
      {opened && <CreateUserForm onClose={onClose} />}
    </Modal>
  );
}

function CreateUserForm({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  const [username, setUsername] = useState('');
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>('agent');
  const [password, setPassword] = useState('');
  const [skills, setSkills] = useState<string[]>([]);
  const [capacity, setCapacity] = useState<number>(10);
  const create = useAdminMutation('admin.users.create', { onSuccess: onClose });
  return (
    <DialogForm
      onSubmit={() => create.mutate({ username: username.trim(), name: name.trim(), role, password, skills, capacity })}
      onCancel={onClose}
      submitLabel={t('admin.users.createSubmit')}
      submitTestId="admin-user-submit"
      busy={create.isPending}
      disabled={!username.trim() || !name.trim() || password.length === 0}
    >
      <TextInput label={t('admin.users.columns.name')} value={name} onChange={(e) => setName(e.currentTarget.value)} maxLength={100} required data-autofocus data-testid="admin-user-name" />
      <TextInput
        label={t('admin.users.columns.username')}
        description={t('admin.users.usernameHint')}
        value={username}
        onChange={(e) => setUsername(e.currentTarget.value.toLowerCase())}
        maxLength={40}
        required
        data-testid="admin-user-username"
      />
      <Select label={t('admin.users.columns.role')} data={roleOptions(t)} value={role} onChange={(value) => value && setRole(value as Role)} allowDeselect={false} data-testid="admin-user-role-select" />
      <PasswordInput label={t('admin.users.password')} description={t('admin.users.passwordHint')} value={password} onChange={(e) => setPassword(e.currentTarget.value)} required data-testid="admin-user-password" />
      <SkillsAndCapacity skills={skills} onSkills={setSkills} capacity={capacity} onCapacity={setCapacity} />
      <FormError error={create.error} />
    </DialogForm>
  );
}

function SkillsAndCapacity({ skills, onSkills, capacity, onCapacity }: { skills: string[]; onSkills: (s: string[]) => void; capacity: number; onCapacity: (n: number) => void }) {
  const { t } = useTranslation();
  return (
    <>
      <TagsInput
        label={t('admin.users.columns.skills')}
        description={t('admin.users.skillsHint')}
        data={SKILL_SUGGESTIONS}
        value={skills}
        onChange={onSkills}
        maxTags={50}
        clearable
        data-testid="admin-user-skills-input"
      />
      <NumberInput
        label={t('admin.users.columns.capacity')}
        description={t('admin.users.capacityHint')}
        value={capacity}
        onChange={(value) => onCapacity(typeof value === 'number' ? value : Number(value) || 0)}
        min={0}
        max={100}
        allowDecimal={false}
        w={200}
        data-testid="admin-user-capacity-input"
      />
    </>
  );
}

export function EditUserDialog({ user, onClose }: { user: AdminUser | null; onClose: () => void }) {
  const { t } = useTranslation();
  return (
    <Modal opened={user !== null} onClose={onClose} title={title(user ? t('admin.editTitle', { name: user.name }) : '')} size={480} data-testid="admin-user-edit-dialog">
      {user && <EditUserForm user={user} onClose={onClose} />}
    </Modal>
  );
}

const sameList = (a: string[], b: string[]) => a.length === b.length && a.every((x, i) => x === b[i]);

function EditUserForm({ user, onClose }: { user: AdminUser; onClose: () => void }) {
  const { t } = useTranslation();
  const [name, setName] = useState(user.name);
  const [role, setRole] = useState<Role>(user.role);
  const [skills, setSkills] = useState<string[]>(user.skills);
  const [capacity, setCapacity] = useState<number>(user.capacity);
  const [password, setPassword] = useState('');
  const update = useAdminMutation('admin.users.update', { onSuccess: onClose });
  // Only what changed: the audit log records each field from → to.
  const patch = {
    ...(name.trim() !== user.name ? { name: name.trim() } : {}),
    ...(role !== user.role ? { role } : {}),
    ...(!sameList(skills, user.skills) ? { skills } : {}),
    ...(capacity !== user.capacity ? { capacity } : {}),
    ...(password ? { password } : {}),
  };
  return (
    <DialogForm
      onSubmit={() => update.mutate({ id: user.id, patch })}
      onCancel={onClose}
      submitLabel={t('common.save')}
      submitTestId="admin-user-submit"
      busy={update.isPending}
      disabled={Object.keys(patch).length === 0 || !name.trim()}
    >
      <TextInput label={t('admin.users.columns.name')} value={name} onChange={(e) => setName(e.currentTarget.value)} maxLength={100} required data-testid="admin-user-name" />
      <TextInput label={t('admin.users.columns.username')} value={user.username} readOnly variant="filled" />
      <Select label={t('admin.users.columns.role')} data={roleOptions(t)} value={role} onChange={(value) => value && setRole(value as Role)} allowDeselect={false} data-testid="admin-user-role-select" />
      <SkillsAndCapacity skills={skills} onSkills={setSkills} capacity={capacity} onCapacity={setCapacity} />
      <PasswordInput
        label={t('admin.users.resetPassword')}
        description={t('admin.users.resetPasswordHint')}
        value={password}
        onChange={(e) => setPassword(e.currentTarget.value)}
        autoComplete="new-password"
        data-testid="admin-user-password"
      />
      <FormError error={update.error} />
    </DialogForm>
  );
}

export function PresenceDialog({ user, onClose }: { user: AdminUser | null; onClose: () => void }) {
  const { t } = useTranslation();
  return (
    <Modal opened={user !== null} onClose={onClose} title={title(user ? t('admin.users.presenceTitle', { name: user.name }) : '')} size={420} data-testid="admin-presence-dialog">
      {user && <PresenceForm user={user} onClose={onClose} />}
    </Modal>
  );
}

function PresenceForm({ user, onClose }: { user: AdminUser; onClose: () => void }) {
  const { t } = useTranslation();
  const [presence, setPresence] = useState<'available' | 'busy' | 'away'>('away');
  const [reason, setReason] = useState('');
  const set = useAdminMutation('admin.users.setPresence', { onSuccess: onClose });
  const needsReason = presence === 'away';
  return (
    <DialogForm
      // A usual reason picked or typed in the admin's language is stored as its key (shown translated to everyone); other words as typed.
      onSubmit={() => set.mutate({ id: user.id, state: { presence, ...(reason.trim() && presence !== 'available' ? { reason: awayReasonToStore(reason) } : {}) } })}
      onCancel={onClose}
      submitLabel={t('admin.users.setPresenceSubmit')}
      submitTestId="admin-presence-submit"
      busy={set.isPending}
      disabled={needsReason && !reason.trim()}
    >
      <Text size="xs" c="dimmed">
        {t('admin.users.presenceNow', { presence: presenceLabel(t, user.presence) })}
      </Text>
      <SegmentedControl
        value={presence}
        onChange={(value) => setPresence(value as typeof presence)}
        data={[
          { value: 'available', label: t('presence.available') },
          { value: 'busy', label: t('presence.busy') },
          { value: 'away', label: t('presence.away') },
        ]}
        data-testid="admin-presence-choice"
      />
      {presence !== 'available' && (
        <Autocomplete
          label={t('admin.users.reason')}
          placeholder={needsReason ? t('admin.users.reasonRequired') : t('admin.users.reasonOptional')}
          data={awayReasonOptions().map((option) => option.label)}
          value={reason}
          onChange={setReason}
          maxLength={100}
          required={needsReason}
          data-testid="admin-presence-reason"
        />
      )}
      <FormError error={set.error} />
    </DialogForm>
  );
}

export function SignOutDialog({ user, onClose }: { user: AdminUser | null; onClose: () => void }) {
  const { t } = useTranslation();
  return (
    <Modal opened={user !== null} onClose={onClose} title={title(t('admin.users.signOutTitle'))} size={420} data-testid="admin-sign-out-dialog">
      {user && <SignOutForm user={user} onClose={onClose} />}
    </Modal>
  );
}

function SignOutForm({ user, onClose }: { user: AdminUser; onClose: () => void }) {
  const { t } = useTranslation();
  const signOut = useAdminMutation('admin.users.signOut', { onSuccess: onClose });
  return (
    <DialogForm onSubmit={() => signOut.mutate({ id: user.id })} onCancel={onClose} submitLabel={t('admin.users.signOutSubmit')} submitTestId="admin-sign-out-submit" busy={signOut.isPending} focusSubmit>
      <Text size="sm">
        {t('admin.users.signOutText', { name: user.name, username: user.username })}
      </Text>
      <FormError error={signOut.error} />
    </DialogForm>
  );
}
