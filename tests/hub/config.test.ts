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

  it('reads every channel option from its flag or variable, and names the option a bad value belongs to', () => {
    const env = {
      SWITCHBOARD_SMTP_RELAY_URL: 'smtp://relay.example:587',
      SWITCHBOARD_X_API_URL: 'https://api.x.com',
      SWITCHBOARD_X_TOKEN: 'x-token',
      SWITCHBOARD_MASTODON_URL: 'https://social.example',
      SWITCHBOARD_BLUESKY_JETSTREAM_URL: 'wss://jetstream2.us-east.bsky.network',
      SWITCHBOARD_BLUESKY_HANDLE: '@Brand.bsky.social',
      SWITCHBOARD_BLUESKY_KEYWORDS: 'Switchboard, router ,',
      SWITCHBOARD_DELIVERY_TIMEOUT_MS: '5000',
    };
    expect(hubOptionsFromCli(['--x-token', 'from-flag'], env)).toMatchObject({
      smtpRelayUrl: 'smtp://relay.example:587',
      xApiUrl: 'https://api.x.com',
      xToken: 'from-flag',
      mastodonUrl: 'https://social.example',
      blueskyJetstreamUrl: 'wss://jetstream2.us-east.bsky.network',
      blueskyHandle: 'brand.bsky.social',
      blueskyKeywords: ['switchboard', 'router'],
      deliveryTimeoutMs: 5000,
    });
    expect(() => hubOptionsFromCli([], { SWITCHBOARD_SMTP_RELAY_URL: 'http://relay.example' })).toThrow('smtpRelayUrl');
    expect(() => hubOptionsFromCli([], { SWITCHBOARD_BLUESKY_JETSTREAM_URL: 'https://jetstream.example' })).toThrow('blueskyJetstreamUrl');
    expect(() => hubOptionsFromCli(['--mastodon-url', 'social.example'], {})).toThrow('mastodonUrl');
    expect(() => hubOptionsFromCli(['--delivery-timeout-ms', '10'], {})).toThrow('deliveryTimeoutMs');
  });

  it('refuses unknown flags', () => {
    expect(() => hubOptionsFromCli(['--prot', '4710'], {})).toThrow(/prot/);
  });
});
