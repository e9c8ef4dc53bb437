import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultDataDir, hubOptionsFromCli } from '../../src/hub/config';

describe('hub configuration', () => {
  it('uses the defaults when nothing is given: per-user data dir, default ports not explicit', () => {
    const options = hubOptionsFromCli([], {});
    expect(options).toMatchObject({ dataDir: join(defaultDataDir(), 'hub'), demo: false, demoFeed: false, explicitPorts: { http: false, mqtt: false } });
    expect(options.port).toBeUndefined();
    expect(options.mqttPort).toBeUndefined();
    expect(options.databaseUrl).toBeUndefined();
  });

  it('reads the SWITCHBOARD_* variables', () => {
    const options = hubOptionsFromCli([], {
      SWITCHBOARD_HUB_PORT: '4800',
      SWITCHBOARD_DATA_DIR: '/tmp/sb',
      SWITCHBOARD_DATABASE_URL: 'postgres://u@db:5432/sb',
      SWITCHBOARD_MQTT_URL: 'mqtt://broker:1883',
      SWITCHBOARD_MQTT_PORT: '0',
    });
    expect(options).toMatchObject({
      port: 4800,
      dataDir: '/tmp/sb',
      databaseUrl: 'postgres://u@db:5432/sb',
      mqttUrl: 'mqtt://broker:1883',
      mqttPort: 0,
      explicitPorts: { http: true, mqtt: true },
    });
  });

  it('lets flags win over variables', () => {
    const options = hubOptionsFromCli(
      ['--port', '0', '--data-dir', '/tmp/flag', '--mqtt-port', '1999', '--demo', '--demo-feed'],
      { SWITCHBOARD_HUB_PORT: '4800', SWITCHBOARD_DATA_DIR: '/tmp/env', SWITCHBOARD_MQTT_PORT: '1883' },
    );
    expect(options).toMatchObject({ port: 0, dataDir: '/tmp/flag', mqttPort: 1999, demo: true, demoFeed: true });
  });

  it.each([
    [['--port', 'http'], {}, 'port'],
    [['--port', '70000'], {}, 'port'],
    [[], { SWITCHBOARD_MQTT_PORT: '-1' }, 'mqttPort'],
    [['--database-url', 'mysql://x'], {}, 'postgres://'],
    [[], { SWITCHBOARD_MQTT_URL: 'http://broker' }, 'mqtt://'],
  ])('refuses %j %j with a message naming the problem', (argv, env, mentions) => {
    expect(() => hubOptionsFromCli(argv, env)).toThrow(/invalid hub configuration/);
    expect(() => hubOptionsFromCli(argv, env)).toThrow(mentions);
  });

  it('takes a log level from the flag or SWITCHBOARD_LOG_LEVEL, and refuses one pino does not know', () => {
    expect(hubOptionsFromCli([], { SWITCHBOARD_LOG_LEVEL: 'warn' }).logLevel).toBe('warn');
    expect(hubOptionsFromCli(['--log-level', 'debug'], { SWITCHBOARD_LOG_LEVEL: 'warn' }).logLevel).toBe('debug');
    expect(hubOptionsFromCli([], {}).logLevel).toBeUndefined();
    expect(() => hubOptionsFromCli(['--log-level', 'loud'], {})).toThrow(/logLevel/);
  });

  it('refuses unknown flags', () => {
    expect(() => hubOptionsFromCli(['--prot', '4710'], {})).toThrow(/prot/);
  });
});
