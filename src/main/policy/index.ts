/** The managed-workstation policy and the settings it decides; see README.md. */
export { loadPolicy, type Policy, PolicyError, PolicySchema, policyPath, type PolicyReading, readPolicy, type ReadText, WINDOWS_PROGRAM_DATA } from './policy';
export {
  AUTO_UPDATE_VARIABLE,
  type AutoUpdate,
  HUB_URL_VARIABLE,
  type HubSettings,
  resolveAutoUpdate,
  resolveHub,
  type SettingSource,
  UPDATE_FEED_URL_VARIABLE,
  type UserSettings,
  userSettingsFromEnv,
} from './settings';
export { sameHub } from './hub-lock';
export { type ConsoleSettings, loadConsoleSettings, POLICY_FILE_VARIABLE } from './console-settings';
