// The slice of ari-client 2.2.0 the stand-in tests drive (the package ships no types). The
// supervisor keeps its own adapter; this is only what these tests call.

import { createRequire } from 'node:module';

export interface AriEvent {
  type: string;
  application: string;
  timestamp: string;
  [key: string]: unknown;
}

export interface AriChannelJson {
  id: string;
  name: string;
  state: string;
  caller: { name: string; number: string };
  dialplan: { context: string; exten: string; priority: number; app_name: string; app_data: string };
}

export interface AriPlaybackJson {
  id: string;
  media_uri: string;
  next_media_uri?: string;
  target_uri: string;
  language: string;
  state: string;
}

export interface AriClient {
  start(apps: string | string[], subscribeAll?: boolean): Promise<void>;
  stop(): void;
  on(event: string, listener: (event: AriEvent, resource?: unknown) => void): void;
  removeAllListeners(event?: string): void;
  channels: {
    list(): Promise<AriChannelJson[]>;
    get(p: { channelId: string }): Promise<AriChannelJson>;
    originate(p: Record<string, unknown>): Promise<AriChannelJson & { id: string }>;
    hangup(p: { channelId: string; reason?: string; reason_code?: string }): Promise<void>;
    answer(p: { channelId: string }): Promise<void>;
    continueInDialplan(p: { channelId: string; context?: string; extension?: string; priority?: number }): Promise<void>;
    getChannelVar(p: { channelId: string; variable: string }): Promise<{ value: string }>;
    play(p: { channelId: string; media: string | string[]; playbackId?: string; lang?: string }): Promise<AriPlaybackJson>;
    sendDTMF(p: { channelId: string; dtmf?: string; between?: number; duration?: number }): Promise<void>;
    hold(p: { channelId: string }): Promise<void>;
    setChannelVar(p: { channelId: string; variable: string; value?: string }): Promise<void>;
  };
  asterisk: {
    getInfo(p?: { only?: string }): Promise<{ status: { startup_time: string }; system: { version: string } }>;
    reloadModule(p: { moduleName: string }): Promise<void>;
  };
  applications: { list(): Promise<{ name: string }[]> };
  playbacks: {
    get(p: { playbackId: string }): Promise<AriPlaybackJson>;
    stop(p: { playbackId: string }): Promise<void>;
  };
  bridges: { get(p: { bridgeId: string }): Promise<unknown> };
  endpoints: { listByTech(p: { tech: string }): Promise<unknown[]> };
}

interface AriModule {
  connect(url: string, user: string, password: string): Promise<AriClient>;
}

const requireFromHere = createRequire(__filename);
export const ari = requireFromHere('ari-client') as AriModule;
