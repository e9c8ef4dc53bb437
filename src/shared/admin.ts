/** Bodies of the hub's admin API (users, queues, memberships, skills). */
import { z } from 'zod';
import { RoleSchema } from './domain';

const Username = z.string().regex(/^[a-z][a-z0-9._-]{1,39}$/, 'usernames are 2–40 of a-z, 0-9, . _ - and start with a letter');
const Password = z.string().min(8, 'passwords need at least 8 characters').max(1000);
const Skills = z.array(z.string().min(1).max(40)).max(50);

export const NewUserSchema = z.object({
  username: Username,
  name: z.string().min(1).max(100),
  role: RoleSchema,
  password: Password,
  skills: Skills.default([]),
  capacity: z.number().int().min(0).max(100).default(10),
});
export type NewUser = z.infer<typeof NewUserSchema>;

export const UserPatchSchema = z
  .object({ name: z.string().min(1).max(100), role: RoleSchema, password: Password, skills: Skills, capacity: z.number().int().min(0).max(100) })
  .partial()
  .strict()
  .refine((p) => Object.keys(p).length > 0, 'nothing to change');
export type UserPatch = z.infer<typeof UserPatchSchema>;

export const NewQueueSchema = z.object({ name: z.string().min(1).max(60), description: z.string().max(500).default('') });
export const QueuePatchSchema = NewQueueSchema.partial().strict().refine((p) => Object.keys(p).length > 0, 'nothing to change');
export const MembersSchema = z.object({ userIds: z.array(z.uuid()).max(1000) });

/** A user as the admin API answers it: who they are, what they can do and which queues they work. */
export const AdminUserSchema = z.object({
  id: z.uuid(),
  username: z.string(),
  name: z.string(),
  role: RoleSchema,
  skills: z.array(z.string()),
  capacity: z.number().int(),
  presence: z.string(),
  queueIds: z.array(z.string()),
});
export type AdminUser = z.infer<typeof AdminUserSchema>;
