/**
 * Names of the domain's values (statuses, priorities, channels, presence…) in
 * the current language. A record whose entries are read through `t` when they
 * are read, so the modules that keep such a record keep its shape, and a
 * component shows the language of its latest render.
 */
import { i18n } from './index';

export function translatedRecord<K extends string>(prefix: string, keys: readonly K[], keyOf: (value: K) => string = (value) => value): Readonly<Record<K, string>> {
  const record = {} as Record<K, string>;
  for (const value of keys) {
    // The key is built at run time: the locale test checks every key these prefixes use exists.
    Object.defineProperty(record, value, { enumerable: true, get: () => i18n.t(`${prefix}.${keyOf(value)}` as never) });
  }
  return record;
}
